/** The states of a bank connection, in the order a connection usually passes through them. */
export const CONNECTION_STATUSES = [
  'awaiting_authorization',
  'active',
  'expiring',
  'renewing',
  'reauth_required',
  'expired',
  'disconnected',
] as const;

export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** The statuses in which a connection holds a consent the bank honours: it syncs. */
export const SYNCABLE_STATUSES: readonly ConnectionStatus[] = ['active', 'expiring', 'renewing'];

export const isSyncable = (status: ConnectionStatus) => SYNCABLE_STATUSES.includes(status);
