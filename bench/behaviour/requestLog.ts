/** One request as a bench server saw it. `t` is the Node process's `Date.now()`. */
export interface LoggedRequest {
  t: number;
  server: string;
  kind: string;
  method: string;
  path: string;
  status: number;
}

/** Every request the bench servers answer, in arrival order; the behaviour figures are counted from it. */
export class RequestLog {
  entries: LoggedRequest[] = [];

  add(server: string, kind: string, method: string, path: string, status: number): void {
    this.entries.push({ t: Date.now(), server, kind, method, path, status });
  }

  clear(): void {
    this.entries = [];
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
