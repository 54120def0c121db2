import { ApplicationFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import { bankConnections, consents } from '../db/schema.js';
import { dateInZone } from '../domain/dates.js';
import { consentContext } from '../domain/secrets.js';
import type { ActivityDeps } from './deps.js';

/** A connection with its institution and provider, as most activities need it. */
export async function connectionContext(deps: ActivityDeps, connectionId: string) {
  const [connection] = await deps.database.db.select().from(bankConnections).where(eq(bankConnections.id, connectionId));
  if (!connection) throw ApplicationFailure.nonRetryable(`connection ${connectionId} does not exist`, 'ConnectionNotFound');
  const institution = deps.providers.institution(connection.institutionId);
  if (!institution) {
    throw ApplicationFailure.nonRetryable(`institution ${connection.institutionId} of connection ${connectionId} is not configured`, 'InstitutionNotConfigured');
  }
  return {
    connection,
    institution,
    provider: deps.providers.provider(connection.institutionId),
    /** The bank's current calendar date, in its time zone. */
    bankToday: () => dateInZone(deps.clock.bankNow(), institution.timeZone),
  };
}

/** A consent of the connection, with its provider reference decrypted. */
export async function loadConsent(deps: ActivityDeps, consentId: string) {
  const [consent] = await deps.database.db.select().from(consents).where(eq(consents.id, consentId));
  if (!consent) throw ApplicationFailure.nonRetryable(`consent ${consentId} does not exist`, 'ConsentNotFound');
  return { consent, consentRef: consent.providerConsentRef ? deps.secrets.decrypt(consent.providerConsentRef, consentContext(consentId)) : undefined };
}
