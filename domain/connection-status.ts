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
