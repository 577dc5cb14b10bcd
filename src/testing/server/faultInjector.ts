import type { FailureKind, InjectedFailure, OAuthErrorCode, RequestKind } from './types.js';

/** An injected HTTP failure; `errorCode` picks the OAuth error a token request gets. */
export interface StatusFailure {
  readonly status: number;
  readonly errorCode?: OAuthErrorCode;
}

/** What a prepared request gets instead of its normal answer. */
export type Fault = StatusFailure | 'network';

interface QueuedFault {
  readonly target: FailureKind;
  readonly fault: Fault;
  remaining: number;
}

// Which `failNext` targets a request of each kind answers to. Authorize pages and preflights
// are never failed: browsers navigate to the former, and the latter are not the server's logic.
const TARGETS: Record<RequestKind, readonly FailureKind[]> = {
  'token-exchange': ['exchange', 'token'],
  'token-refresh': ['refresh', 'token'],
  token: ['token'],
  api: ['api'],
  chat: ['api'],
  authorize: [],
  decision: [],
  preflight: [],
};

/** The queue behind `failNext` and `failRefreshWith`, served first in, first out. */
export class FaultInjector {
  #queue: QueuedFault[] = [];

  /** `times` may be `Infinity`: the failure stays until {@link FaultInjector.clear}. */
  enqueue(target: FailureKind, failure: InjectedFailure | StatusFailure, times: number): void {
    if (!(times === Infinity || (Number.isInteger(times) && times >= 1))) {
      throw new RangeError(`Coze model: failNext times must be a positive integer or Infinity, got ${times}`);
    }
    if (failure !== 'network' && (!Number.isInteger(failure.status) || failure.status < 400 || failure.status > 599)) {
      throw new RangeError(`Coze model: an injected status must be 400-599, got ${failure.status}`);
    }
    this.#queue.push({ target, fault: failure, remaining: times });
  }

  /** The fault for this request, if one is queued for its kind; consumes one use of it. */
  take(kind: RequestKind): Fault | undefined {
    const targets = TARGETS[kind];
    const queued = this.#queue.find((entry) => targets.includes(entry.target));
    if (!queued) return undefined;
    queued.remaining -= 1;
    if (queued.remaining === 0) this.#queue = this.#queue.filter((entry) => entry !== queued);
    return queued.fault;
  }

  /** Drops the failures queued for `target`, or all of them. */
  clear(target?: FailureKind): void {
    this.#queue = target === undefined ? [] : this.#queue.filter((entry) => entry.target !== target);
  }
}
