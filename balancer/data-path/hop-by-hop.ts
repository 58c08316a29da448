// Hop-by-hop headers (RFC 9110 section 7.6.1) apply to one connection only;
// a proxy must not forward them, nor any header named in `Connection`.
import { lowerCaseHeaderName } from '../upstreams/header-name.js';

/**
 * Headers in the flat form `[name, value, name, value, …]` that both
 * `res.writeHead()` and undici's `dispatch()` take as they are; a repeated
 * header is repeated. Built in one pass, with no intermediate object.
 */
export type HeaderList = string[];

/** Headers as undici reads them off the wire: `[name, value, …]`, as bytes, names in the case sent. */
export type RawHeaders = readonly (Buffer | string)[];

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
 * The end-to-end headers of `raw` (all but the hop-by-hop ones and those
 * that `Connection` names) as a new HeaderList with lower-case names, built
 * straight from the bytes, with no parsed header object in between. A
 * repeated header keeps its place among the others.
 */
export function endToEndHeaderList(raw: RawHeaders): HeaderList {
  const list: HeaderList = [];
  let connection: string[] | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = lowerCaseHeaderName(raw[i] as Buffer | string);
    const value = latin1(raw[i + 1] as Buffer | string);
    if (!HOP_BY_HOP.has(name)) list.push(name, value);
    else if (name === 'connection') (connection ??= []).push(value);
  }
  // Nearly always `Connection: keep-alive`, which names no header: the string form takes namedByConnection's fast path.
  const named = connection === undefined ? undefined : namedByConnection(connection.length === 1 ? connection[0] : connection);
  if (named === undefined) return list;
  const kept: HeaderList = [];
  for (let i = 0; i < list.length; i += 2) if (!named.has(list[i] as string)) kept.push(list[i] as string, list[i + 1] as string);
  return kept;
}

/** True when `list` has a header `name` (lower case). */
export function hasHeader(list: HeaderList, name: string): boolean {
  for (let i = 0; i < list.length; i += 2) if (list[i] === name) return true;
  return false;
}

function latin1(bytes: Buffer | string): string {
  return typeof bytes === 'string' ? bytes : bytes.toString('latin1');
}
