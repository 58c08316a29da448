/**
 * An admin request the balancer refuses, with the HTTP status and the exact
 * JSON body to send (`{"status":"failure","message":...}` unless given).
 */
export class AdminRequestError extends Error {
  readonly code = 'LBLAB_ADMIN_REQUEST';
  readonly body: Record<string, unknown>;

  constructor(
    readonly status: number,
    message: string,
    body?: Record<string, unknown>,
    /** Extra response headers, e.g. `www-authenticate` on a 401. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'AdminRequestError';
    this.body = body ?? { status: 'failure', message };
  }
}
