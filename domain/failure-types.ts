/**
 * Failure types activities raise and the workflow branches on. Plain strings with no imports, so
 * both sides share them (workflow code must stay free of activity dependencies).
 */
export const FailureType = {
  /** The bank says the consent has expired: it needs renewing. */
  ConsentExpired: 'ConsentExpired',
  /** The bank rejects the consent (revoked, unknown, invalid): the user must authorise again. */
  ConsentInvalid: 'ConsentInvalid',
  /** The bank's budget of unattended accesses is used up: wait for the next slot, do not retry. */
  AccessExceeded: 'AccessExceeded',
  /** The bank refused the request itself; retrying the same request cannot help. */
  BankRejectedRequest: 'BankRejectedRequest',
  /** Another sync or import holds the account; retried with backoff. */
  AccountBusy: 'AccountBusy',
} as const;

export type FailureType = (typeof FailureType)[keyof typeof FailureType];
