// How the CLI's long-lived admin clients (the dashboard feed, the event
// stream) talk HTTP: undici's request API, which, unlike Node's fetch, does
// not refuse ports on the Fetch standard's blocked list (5060, 5061, ...).

export interface AdminRequestInit {
  readonly signal: AbortSignal;
  readonly headers?: Readonly<Record<string, string>>;
  /** Time allowed until the response headers arrive. */
  readonly headersTimeoutMs?: number;
  /** Time allowed between two body chunks; 0: none. */
  readonly bodyTimeoutMs?: number;
}

export interface AdminResponse {
  readonly status: number;
  readonly body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
  /** Reads and drops the rest of the body, so the connection can be reused. */
  dump(): Promise<void>;
}

/** A GET on the admin API; tests pass a fake one. */
export type AdminTransport = (url: string, init: AdminRequestInit) => Promise<AdminResponse>;

export const undiciTransport: AdminTransport = async (url, init) => {
  // Loaded on use: the verbs that never call the balancer, and `lblab --help`, do without it.
  const { request } = await import('undici');
  const response = await request(url, {
    method: 'GET',
    signal: init.signal,
    ...(init.headers === undefined ? {} : { headers: { ...init.headers } }),
    ...(init.headersTimeoutMs === undefined ? {} : { headersTimeout: init.headersTimeoutMs }),
    ...(init.bodyTimeoutMs === undefined ? {} : { bodyTimeout: init.bodyTimeoutMs }),
  });
  const body = response.body;
  return {
    status: response.statusCode,
    body,
    text: () => body.text(),
    dump: () => body.dump(),
  };
};

/** `Authorization: Bearer <token>` when the lab has an admin token. */
export function authHeaders(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

/** Why a request to the admin API failed, in a few words: `connect ECONNREFUSED 127.0.0.1:8081`. */
export function describeFailure(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError' || error.name === 'HeadersTimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = (error as Error & { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message !== '') return cause.message;
  return error.message;
}
