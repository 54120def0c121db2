import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { LockBusyError } from '../db/client.js';
import { ProviderError } from '../providers/provider.js';
import { FailureType } from '../domain/failure-types.js';

/**
 * Turns what went wrong into what Temporal should do about it: consent problems and a used-up
 * budget are final for this attempt (the workflow decides what next), a busy account and
 * temporary bank trouble are retried with backoff. Messages carry no personal data.
 */
export function toActivityFailure(error: unknown): unknown {
  if (error instanceof LockBusyError) return ApplicationFailure.retryable(error.message, FailureType.AccountBusy);
  if (!(error instanceof ProviderError)) return error;
  switch (error.kind) {
    case 'consent_expired':
      return ApplicationFailure.nonRetryable(error.message, FailureType.ConsentExpired);
    case 'consent_invalid':
      return ApplicationFailure.nonRetryable(error.message, FailureType.ConsentInvalid);
    case 'access_exceeded':
      return ApplicationFailure.create({
        message: error.message,
        type: FailureType.AccessExceeded,
        nonRetryable: true,
        category: ApplicationFailureCategory.BENIGN,
      });
    case 'bad_request':
      return ApplicationFailure.nonRetryable(error.message, FailureType.BankRejectedRequest);
    case 'temporary':
      return error;
  }
}

/** Runs an activity body, translating its failure. */
export async function translatingFailures<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toActivityFailure(error);
  }
}
