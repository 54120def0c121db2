import { and, eq, gte, lte } from 'drizzle-orm';
import type { DatabaseHandle } from '../../db/client.js';
import type { bankAccounts } from '../../db/schema.js';
import { transactions } from '../../db/schema.js';
import { isUnreadable, readTransaction } from '../../providers/nextgenpsd2/mapping.js';
import { contentKey } from '../../transactions/identity.js';
import type { TestBank } from './demobank.js';

type Account = typeof bankAccounts.$inferSelect & { providerAccountId?: string | null };

/**
 * What bankfeed stored for an account against the Demo Bank's ground truth, over the days it
 * says it imported completely (import start to watermark): both as sorted content keys, so a
 * missing, extra or duplicated transaction shows as a difference.
 */
export async function storedAndTruth(database: DatabaseHandle, bank: TestBank, account: Account, resourceId = account.providerAccountId!) {
  const from = account.importStart!;
  const to = account.lastIntegrationDate!;
  const rows = await database.db
    .select()
    .from(transactions)
    .where(and(eq(transactions.accountId, account.id), gte(transactions.bookingDate, from), lte(transactions.bookingDate, to)));
  const truth = (await bank.truth(resourceId))
    .map((entry) => readTransaction(entry, 'booked', to))
    .flatMap((entry) => (isUnreadable(entry) || entry.bookingDate < from || entry.bookingDate > to ? [] : [entry]));
  return {
    stored: rows.map((row) => contentKey(row)).sort(),
    truth: truth.map((entry) => contentKey(entry)).sort(),
    from,
    to,
  };
}
