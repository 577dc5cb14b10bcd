import type { StatusFailure } from './faultInjector.js';
import type { RequestKind } from './types.js';

/**
 * A request an endpoint has classified but not yet acted on. The split lets the model apply
 * injected failures in one place, before any state changes (a failed exchange keeps its code).
 */
export interface PreparedRequest {
  readonly kind: RequestKind;
  /** The endpoint's real answer. */
  respond(): Response | Promise<Response>;
  /** The answer to an injected failure, in this endpoint's error shape. */
  fail(failure: StatusFailure): Response;
}
