// Hop-by-hop headers (RFC 9110 section 7.6.1) apply to one connection only;
// a proxy must not forward them, nor any header named in `Connection`.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export function isHopByHop(name: string): boolean {
  return HOP_BY_HOP.has(name);
}

/**
 * A copy of `headers` (lower-case names, as node:http gives them) without
 * hop-by-hop headers and without the headers that `Connection` names.
 */
export function endToEndHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const connection = headers.connection;
  const named = connection === undefined || connection === 'keep-alive' || connection === 'close' ? undefined : connectionTokens(connection);
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || (named !== undefined && named.has(name))) continue;
    out[name] = headers[name];
  }
  return out;
}

function connectionTokens(value: string): Set<string> {
  const tokens = new Set<string>();
  for (const token of value.split(',')) {
    const name = token.trim().toLowerCase();
    if (name !== '') tokens.add(name);
  }
  return tokens;
}
