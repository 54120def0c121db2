import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../db/client.js';
import { MATCH_STEPS, type LookupMemo, type MatchStep } from './party-matcher.js';
import { parseInvoiceNumberPattern, type InvoiceNumberPattern } from './references/index.js';
import { loadMatchingRules, rulesStep, type TenantRules } from './rules.js';

/** What matching needs to know of a tenant, read once per fetch or file, not per batch. */
export interface MatchingContext {
  tenantId: string;
  /** Without parties there is nothing to match against: the matching statements are skipped. */
  hasParties: boolean;
  /** The tenant's matching rules, compiled. */
  rules: TenantRules;
  /** The tenant's invoice numbers, compiled once: found in transactions as references. */
  invoiceNumberPattern: InvoiceNumberPattern | null;
  /** What the matcher looked up so far with this context: one fetch or file asks each counterparty once. */
  lookups: LookupMemo;
}

/** The matching context of a tenant, or of the tenant that owns an account. */
export async function loadMatchingContext(database: DatabaseHandle, owner: { accountId: string } | { tenantId: string }): Promise<MatchingContext> {
  const tenant = 'tenantId' in owner ? sql`${owner.tenantId}::uuid` : sql`(select a.tenant_id from bank_accounts a where a.id = ${owner.accountId})`;
  const [context] = await database.rows<{ tenant_id: string; has_parties: boolean; invoice_number_pattern: string | null }>(sql`
    select t.id as tenant_id, t.invoice_number_pattern, exists(select 1 from parties p where p.tenant_id = t.id) as has_parties
    from tenants t
    where t.id = ${tenant}`);
  if (!context) throw new Error(`no tenant for ${JSON.stringify(owner)}`);
  return {
    tenantId: context.tenant_id,
    hasParties: context.has_parties,
    rules: await loadMatchingRules(database.db, context.tenant_id),
    invoiceNumberPattern: invoiceNumberPattern(context.invoice_number_pattern),
    lookups: new Map(),
  };
}

/** The stored pattern, compiled; PATCH /v1/tenant refused any that does not compile, so one that no longer does (a stricter check since) finds nothing. */
function invoiceNumberPattern(source: string | null): InvoiceNumberPattern | null {
  if (source === null) return null;
  const parsed = parseInvoiceNumberPattern(source);
  return parsed.ok ? parsed.pattern : null;
}

/** The matcher's steps for the tenant: its parties' identifiers, then its rules; none when it has neither. */
export function matchingSteps(context: MatchingContext): MatchStep[] {
  return [...(context.hasParties ? MATCH_STEPS : []), ...(context.rules.length > 0 ? [rulesStep(context.rules)] : [])];
}
