import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { TLSSocket } from 'node:tls';

import { endToEndHeaders } from './hop-by-hop.js';

/**
 * The headers sent upstream: the client's end-to-end headers (Host kept),
 * `X-Forwarded-For` extended with the client address, `X-Forwarded-Proto`
 * and `X-Forwarded-Host` set unless an earlier proxy set them.
 */
export function forwardedRequestHeaders(req: IncomingMessage): OutgoingHttpHeaders {
  const incoming = req.headers;
  const headers = endToEndHeaders(incoming);
  const client = req.socket.remoteAddress ?? '';
  const prior = incoming['x-forwarded-for'];
  headers['x-forwarded-for'] = prior === undefined || prior === '' ? client : `${String(prior)}, ${client}`;
  if (incoming['x-forwarded-proto'] === undefined) headers['x-forwarded-proto'] = (req.socket as TLSSocket).encrypted === true ? 'https' : 'http';
  if (incoming['x-forwarded-host'] === undefined && incoming.host !== undefined) headers['x-forwarded-host'] = incoming.host;
  // Transfer-Encoding is hop-by-hop and was dropped; a body of unknown length is sent chunked again.
  if (incoming['transfer-encoding'] !== undefined && incoming['content-length'] === undefined) headers['transfer-encoding'] = 'chunked';
  return headers;
}

/** True when the request carries a body to stream upstream. */
export function hasRequestBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}
