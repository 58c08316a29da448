import type { Dispatcher } from 'undici';
import { NO_SERVER_ID } from './load-result.js';

export interface OneRequest {
  readonly path: string;
  readonly method: Dispatcher.HttpMethod;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer | undefined;
  readonly timeoutMs: number;
}

export type SendOutcome =
  | { readonly kind: 'response'; readonly server: string; readonly statusCode: number }
  | { readonly kind: 'failure'; readonly code: string };

/** Error code of a failed request: the error's `code` (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, ...), else its name. */
export function errorCodeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && code !== '') return code;
    if (typeof name === 'string' && name !== '') return name;
  }
  return 'UNKNOWN';
}

function serverIdOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value === undefined || value === '' ? NO_SERVER_ID : value;
}

/**
 * Sends one request and reads the whole body (so the keep-alive connection
 * can be reused). `timeoutMs` bounds the wait for headers and each gap in the body.
 * Never rejects: a request without a complete response is a failure with its code.
 */
export async function sendOne(dispatcher: Dispatcher, request: OneRequest): Promise<SendOutcome> {
  try {
    const response = await dispatcher.request({
      path: request.path,
      method: request.method,
      headers: request.headers,
      body: request.body,
      headersTimeout: request.timeoutMs,
      bodyTimeout: request.timeoutMs,
    });
    for await (const _chunk of response.body) {
      // Drain: the body is not needed, the connection is.
    }
    return { kind: 'response', server: serverIdOf(response.headers['x-server-id']), statusCode: response.statusCode };
  } catch (error) {
    return { kind: 'failure', code: errorCodeOf(error) };
  }
}
