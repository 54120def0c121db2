/**
 * Encrypts what must not sit in Postgres in the clear (provider consent references, authorization
 * URLs). `context` binds a value to its row: copied elsewhere, it does not decrypt.
 */
export interface Secrets {
  encrypt(plaintext: string, context: string): string;
  decrypt(sealed: string, context: string): string;
}

/** What each encrypted column is bound to: a value copied to another row does not decrypt. */
export const consentContext = (consentId: string) => `consent:${consentId}`;
export const webhookSecretContext = (endpointId: string) => `webhook:${endpointId}`;
export const connectionEmailContext = (connectionId: string) => `connection-email:${connectionId}`;
export const tenantEmailContext = (tenantId: string) => `tenant-email:${tenantId}`;
