import type { CozeCounters, RequestLogEntry } from './types.js';

// Enough for any test; bounded so that a long-running demo server does not grow without end.
const MAX_LOG_ENTRIES = 1000;

function zeroCounters(): CozeCounters {
  return {
    authorize: 0,
    decision: 0,
    tokenExchange: 0,
    tokenRefresh: 0,
    tokenErrors: 0,
    api: 0,
    apiUnauthorized: 0,
    chat: 0,
    chatStopped: 0,
    preflight: 0,
  };
}

/**
 * The request log, and the counters derived from it as entries arrive (so the two always agree).
 * Entries are built by the caller from method, path and status only: no secrets can reach them.
 * One counter is not a request: `chatStopped`, a streamed answer the client walked away from,
 * which the chat endpoint learns of after its request was logged ({@link RequestRecorder.chatStopped}).
 */
export class RequestRecorder {
  #counters = zeroCounters();
  #log: RequestLogEntry[] = [];

  record(entry: RequestLogEntry): void {
    this.#log.push(Object.freeze({ ...entry }));
    if (this.#log.length > MAX_LOG_ENTRIES) this.#log.shift();
    const counters = this.#counters;
    const failed = entry.status === 0 || entry.status >= 400;
    switch (entry.kind) {
      case 'authorize':
        counters.authorize += 1;
        break;
      case 'decision':
        counters.decision += 1;
        break;
      case 'token-exchange':
        counters.tokenExchange += 1;
        if (failed) counters.tokenErrors += 1;
        break;
      case 'token-refresh':
        counters.tokenRefresh += 1;
        if (failed) counters.tokenErrors += 1;
        break;
      case 'token':
        if (failed) counters.tokenErrors += 1;
        break;
      case 'api':
      case 'chat':
        // A chat is a protected OpenAPI call too.
        if (entry.kind === 'chat') counters.chat += 1;
        counters.api += 1;
        if (entry.status === 401) counters.apiUnauthorized += 1;
        break;
      case 'preflight':
        counters.preflight += 1;
        break;
    }
  }

  /** A streamed chat ended before its `done` event: the client aborted or stopped reading. */
  chatStopped(): void {
    this.#counters.chatStopped += 1;
  }

  get counters(): Readonly<CozeCounters> {
    return Object.freeze({ ...this.#counters });
  }

  get log(): readonly RequestLogEntry[] {
    return Object.freeze([...this.#log]);
  }

  reset(): void {
    this.#counters = zeroCounters();
    this.#log = [];
  }
}
