import type { PartyInput } from '../../parties/store.js';

/** A party as the ledger registers it: a customer with nothing but a name, unless `extra` says more. */
export const partyInput = (externalId: string, name: string, extra: Partial<PartyInput> = {}): PartyInput => ({
  externalId,
  kind: 'customer',
  name,
  ibans: [],
  otherNames: [],
  defaultLedgerAccountCode: null,
  ...extra,
});
