import { isGrpcServiceError } from '@temporalio/client';

// gRPC status codes of a frontend that cannot be reached (UNAVAILABLE) or did not answer in time
// (DEADLINE_EXCEEDED), as opposed to one that refused the call.
const UNREACHABLE = new Set([14, 4]);

/** Whether an error of the Temporal client means the server is unreachable (the client wraps the gRPC error as its cause). */
export function isTemporalUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (isGrpcServiceError(current) && UNREACHABLE.has(current.code)) return true;
  }
  return false;
}
