import type { DatabaseHandle } from '../db/client.js';
import type { Mailer } from '../notifications/email.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { Secrets } from '../domain/secrets.js';
import type { BankClock } from '../time/bank-clock.js';

/** What the activities need from the world; `worker.ts` builds it, tests build their own. */
export interface ActivityDeps {
  database: DatabaseHandle;
  providers: ProviderRegistry;
  /** The bank's time, mapped to real time (the identity in production). */
  clock: BankClock;
  secrets: Secrets;
  /** Where browsers reach the API: the bank callback is `${publicUrl}/v1/callback`. */
  publicUrl: string;
  /** ALLOW_INSECURE_WEBHOOKS: webhooks may go to loopback addresses, over plain http too (development). */
  allowInsecureWebhooks: boolean;
  /** Sends the e-mail reminders; none (no SMTP_URL): no e-mail. */
  mailer?: Mailer;
}
