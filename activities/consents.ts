import { ApplicationFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import { attachAccounts } from '../accounts/links.js';
import { consents } from '../db/schema.js';
import { ProviderError } from '../providers/provider.js';
import { addDays, startOfDay } from '../domain/dates.js';
import { consentContext } from '../domain/secrets.js';
import { hashState, newCallbackState } from '../secrets/callback-state.js';
import { connectionContext, loadConsent } from './connection-context.js';
import type { ActivityDeps } from './deps.js';
import { translatingFailures } from './failures.js';

export interface RequestConsentInput {
  connectionId: string;
  /** Chosen by the caller (the API, or the workflow), so a retried request finds its own row. */
  consentId: string;
  purpose: 'link' | 'renewal';
  /** How long the user has to come back from the bank: the callback's state expires then. */
  linkTimeoutMs: number;
  consentDays: number;
}

export type AuthorizationOutcome =
  | {
      outcome: 'authorized';
      consentExpiresAt: string;
      accounts: number;
      /** When the user came back from the bank: reminders due after it are still to send, however long the link took. */
      authorizedAt: string;
    }
  | { outcome: 'rejected' }
  | { outcome: 'pending' };

export function createConsentActivities(deps: ActivityDeps) {
  const { db } = deps.database;

  return {
    /**
     * Asks the bank for a consent and stores where the user must log in. The authorization URL
     * stays in Postgres (encrypted): the API reads it from there, Temporal never sees it.
     */
    async requestConsent(input: RequestConsentInput): Promise<void> {
      return translatingFailures(async () => {
        const { connection, institution, provider, bankToday } = await connectionContext(deps, input.connectionId);
        await db
          .insert(consents)
          .values({ id: input.consentId, connectionId: connection.id, purpose: input.purpose, status: 'requested' })
          .onConflictDoNothing();
        const { consent } = await loadConsent(deps, input.consentId);
        if (consent.providerConsentRef) return;

        const { psuIpAddress } = consent;
        if (!psuIpAddress) {
          throw ApplicationFailure.nonRetryable(`consent ${consent.id} has no requester's IP address, which the bank requires: request it through the API`, 'MissingPsuIpAddress');
        }
        const state = newCallbackState();
        const redirectUrl = `${deps.publicUrl}/v1/callback?state=${state}`;
        const created = await provider.createConsent(
          {
            // Inclusive: a 90-day consent's 90th day is today + 89.
            validUntil: addDays(bankToday(), Math.min(input.consentDays, institution.maxConsentDays) - 1),
            frequencyPerDay: institution.frequencyPerDay,
            redirectUrl,
            nokRedirectUrl: `${redirectUrl}&result=nok`,
          },
          { psuIpAddress },
        );
        await db
          .update(consents)
          .set({
            providerConsentRef: deps.secrets.encrypt(created.consentRef, consentContext(consent.id)),
            authorizationUrl: deps.secrets.encrypt(created.authorizationUrl, consentContext(consent.id)),
            stateHash: hashState(state),
            stateExpiresAt: new Date(Date.now() + input.linkTimeoutMs),
          })
          .where(eq(consents.id, consent.id));
      });
    },

    /**
     * After the user came back from the bank: is the consent valid? Then store what the bank
     * granted and attach the accounts the user shared to the tenant's accounts by IBAN and
     * currency (the provider's account ids may have changed), keeping their mappings and watermarks.
     */
    async completeAuthorization({ connectionId, consentId }: { connectionId: string; consentId: string }): Promise<AuthorizationOutcome> {
      return translatingFailures(async () => {
        const { connection, institution, provider, bankToday } = await connectionContext(deps, connectionId);
        const { consent, consentRef } = await loadConsent(deps, consentId);
        if (!consentRef) return { outcome: 'rejected' };
        const access = { psuIpAddress: consent.psuIpAddress ?? undefined };
        const details = await provider.getConsent(consentRef, access);
        if (details.status === 'received') return { outcome: 'pending' };
        if (details.status !== 'valid' || !details.validUntil) {
          await db.update(consents).set({ status: 'rejected', closedAt: new Date() }).where(eq(consents.id, consentId));
          return { outcome: 'rejected' };
        }

        const accounts = await provider.listAccounts(consentRef, access);
        const importStart = addDays(bankToday(), -(Math.min(connection.historyDays, institution.historyDays) - 1));
        await attachAccounts(db, { tenantId: connection.tenantId, connectionId, importStart, accounts });

        // Access ends when the bank's day validUntil ends.
        const expiresAt = deps.clock.toReal(startOfDay(addDays(details.validUntil, 1), institution.timeZone));
        const authorizedAt = consent.returnedAt ?? new Date();
        await db
          .update(consents)
          .set({ status: 'active', validUntil: details.validUntil, expiresAt, frequencyPerDay: details.frequencyPerDay, authorizedAt })
          .where(eq(consents.id, consentId));
        return { outcome: 'authorized', consentExpiresAt: expiresAt.toISOString(), accounts: accounts.length, authorizedAt: authorizedAt.toISOString() };
      });
    },

    /** Ends a consent: withdrawn at the bank where it still exists there, and marked in Postgres. */
    async closeConsent({ consentId, status }: { consentId: string; status: 'closed' | 'expired' | 'revoked' }): Promise<void> {
      return translatingFailures(async () => {
        const { consent, consentRef } = await loadConsent(deps, consentId);
        if (consent.closedAt) return;
        const { provider } = await connectionContext(deps, consent.connectionId);
        if (consentRef && status === 'closed') {
          try {
            await provider.revokeConsent(consentRef, {});
          } catch (error) {
            // Already expired, revoked or unknown at the bank: closed either way.
            if (!(error instanceof ProviderError) || error.kind === 'temporary') throw error;
          }
        }
        await db.update(consents).set({ status, closedAt: new Date(), psuIpAddress: null }).where(eq(consents.id, consentId));
      });
    },
  };
}
