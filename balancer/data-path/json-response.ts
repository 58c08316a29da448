import type { ServerResponse } from 'node:http';

/** Writes `body` as JSON with `status` and ends the response (no-op when headers were already sent). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** `{"status":"failure","message":...}` plus `extra` fields (e.g. `server`). */
export function sendFailure(res: ServerResponse, status: number, message: string, extra?: Record<string, unknown>): void {
  sendJson(res, status, { status: 'failure', message, ...extra });
}
