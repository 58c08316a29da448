/**
 * The key that hashing algorithms use: query parameter `param` of `url` when
 * present (`/home?id=42` → `42`), else the client address. No URL object is
 * built: this runs for every request.
 */
export function hashKey(url: string, param: string, clientAddress: string | undefined): string {
  const query = url.indexOf('?');
  if (query !== -1) {
    const value = queryParam(url, query + 1, param);
    if (value !== undefined) return value;
  }
  return clientAddress ?? '';
}

/** The first value of query parameter `name` in `url` from index `start`, decoded; undefined when absent. */
export function queryParam(url: string, start: number, name: string): string | undefined {
  const length = url.length;
  let at = start;
  while (at < length) {
    let end = url.indexOf('&', at);
    if (end === -1) end = length;
    const equals = url.indexOf('=', at);
    const keyEnd = equals !== -1 && equals < end ? equals : end;
    if (keyEnd - at === name.length && url.startsWith(name, at)) {
      return keyEnd === end ? '' : decode(url.slice(keyEnd + 1, end));
    }
    at = end + 1;
  }
  return undefined;
}

function decode(raw: string): string {
  if (!raw.includes('%') && !raw.includes('+')) return raw;
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return raw;
  }
}
