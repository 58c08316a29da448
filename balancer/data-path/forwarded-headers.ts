import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

import { appendHeader, isHopByHop, namedByConnection, type HeaderList } from './hop-by-hop.js';

/**
 * The headers sent upstream, built in one pass: the client's end-to-end
 * headers (Host kept), `X-Forwarded-For` extended with the client address,
 * `X-Forwarded-Proto` and `X-Forwarded-Host` set unless an earlier proxy set
 * them. `Expect` is dropped: node:http has already answered `100-continue`
 * to the client, and the body follows. The body's framing (Content-Length
 * or chunked) is the upstream client's to write.
 */
export function forwardedRequestHeaders(req: IncomingMessage): HeaderList {
  const incoming = req.headers;
  const named = namedByConnection(incoming.connection);
  const list: HeaderList = [];
  let priorFor: string | undefined;
  let hasProto = false;
  let hasHost = false;
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined || isHopByHop(name) || (named !== undefined && named.has(name))) continue;
    switch (name) {
      case 'x-forwarded-for':
        priorFor = String(value);
        continue;
      case 'expect':
        continue;
      case 'x-forwarded-proto':
        hasProto = true;
        break;
      case 'x-forwarded-host':
        hasHost = true;
        break;
    }
    appendHeader(list, name, value);
  }
  const client = req.socket.remoteAddress ?? '';
  list.push('x-forwarded-for', priorFor === undefined || priorFor === '' ? client : `${priorFor}, ${client}`);
  if (!hasProto) list.push('x-forwarded-proto', (req.socket as TLSSocket).encrypted === true ? 'https' : 'http');
  if (!hasHost && incoming.host !== undefined) list.push('x-forwarded-host', incoming.host);
  return list;
}

/** True when the request carries a body to stream upstream. */
export function hasRequestBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}
