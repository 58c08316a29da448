export type RequestTimeoutPhase = 'headers' | 'body';

/**
 * A request that received nothing for timeoutMs: while waiting for the
 * response headers, or between two pieces of the body. It has undici's names
 * and codes (UND_ERR_HEADERS_TIMEOUT, UND_ERR_BODY_TIMEOUT), which results count by.
 */
export class RequestTimeoutError extends Error {
  readonly code: 'UND_ERR_HEADERS_TIMEOUT' | 'UND_ERR_BODY_TIMEOUT';

  constructor(phase: RequestTimeoutPhase, timeoutMs: number) {
    super(phase === 'headers' ? `No response headers after ${timeoutMs} milliseconds` : `No response body data for ${timeoutMs} milliseconds`);
    this.name = phase === 'headers' ? 'HeadersTimeoutError' : 'BodyTimeoutError';
    this.code = phase === 'headers' ? 'UND_ERR_HEADERS_TIMEOUT' : 'UND_ERR_BODY_TIMEOUT';
  }
}
