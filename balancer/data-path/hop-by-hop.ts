// Hop-by-hop headers (RFC 9110 section 7.6.1) apply to one connection only;
// a proxy must not forward them, nor any header named in `Connection`.

/** Headers as node:http and undici parse them: lower-case names, repeated ones as arrays. */
export type ParsedHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Headers in the flat form `[name, value, name, value, …]` that both
 * `res.writeHead()` and undici's `dispatch()` take as they are; a repeated
 * header is repeated. Built in one pass, with no intermediate object.
 */
export type HeaderList = string[];

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
 * The header names that a `Connection` value lists besides `keep-alive` and
 * `close` (which name no header); undefined when there are none, the usual case.
 */
export function namedByConnection(connection: string | readonly string[] | undefined): ReadonlySet<string> | undefined {
  if (connection === undefined || connection === 'keep-alive' || connection === 'close') return undefined;
  const tokens = new Set<string>();
  for (const value of typeof connection === 'string' ? [connection] : connection) {
    for (const token of value.split(',')) {
      const name = token.trim().toLowerCase();
      if (name !== '' && name !== 'keep-alive' && name !== 'close') tokens.add(name);
    }
  }
  return tokens.size === 0 ? undefined : tokens;
}

/** Appends `name: value` to `list`, once per value of a repeated header. */
export function appendHeader(list: HeaderList, name: string, value: string | readonly string[]): void {
  if (typeof value === 'string') list.push(name, value);
  else for (const one of value) list.push(name, one);
}

/**
 * Appends the end-to-end headers of `headers` to `list`: all but the
 * hop-by-hop ones and those that `Connection` names.
 */
export function appendEndToEndHeaders(list: HeaderList, headers: ParsedHeaders): HeaderList {
  const named = namedByConnection(headers.connection);
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || (named !== undefined && named.has(name))) continue;
    appendHeader(list, name, value);
  }
  return list;
}
