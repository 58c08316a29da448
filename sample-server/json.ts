import type { ServerResponse } from 'node:http';

/** What a handler answers; the server adds X-Server-Id and sends it. */
export interface JsonReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export function jsonReply(status: number, body: unknown, headers?: Readonly<Record<string, string>>): JsonReply {
  return headers === undefined ? { status, body } : { status, body, headers };
}

/** `{"status":"failure","message":...,"server":...}`: the shape of every error. */
export function failureReply(status: number, message: string, server: string, headers?: Readonly<Record<string, string>>): JsonReply {
  return jsonReply(status, { status: 'failure', message, server }, headers);
}

/** Sends the reply unless the response is already finished or the client went away. */
export function sendJson(res: ServerResponse, reply: JsonReply): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(reply.body);
  res.statusCode = reply.status;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

export type JsonParseResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** Parses a request body; the failure message names the body and the parse error. */
export function parseJsonBody(body: Buffer): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch (error) {
    return { ok: false, message: `Request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}
