/** The lock one writer of an account holds (a sync, a statement import, a removal): never two at once. */
export const accountLockKey = (accountId: string) => `account:${accountId}`;
