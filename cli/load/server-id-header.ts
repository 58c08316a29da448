import { NO_SERVER_ID } from './load-result.js';

/** `x-server-id`, lower case, as bytes. */
const NAME = Buffer.from('x-server-id', 'latin1');
const ASCII_CASE_BIT = 0x20;

/** True when a raw header name is `x-server-id` in any letter case (setting bit 0x20 folds only letters here: the one other byte it maps onto "-" is CR, never in a name). */
function isServerIdName(name: Buffer): boolean {
  if (name.length !== NAME.length) return false;
  for (let i = 0; i < NAME.length; i++) {
    if ((name[i]! | ASCII_CASE_BIT) !== NAME[i]) return false;
  }
  return true;
}

/**
 * The first X-Server-Id value of a response, from undici's raw headers
 * (`[name, value, name, value, ...]` as Buffers), without building a headers
 * object. NO_SERVER_ID when the header is missing or empty.
 */
export function serverIdFromRawHeaders(rawHeaders: readonly Buffer[]): string {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!isServerIdName(rawHeaders[i]!)) continue;
    const value = rawHeaders[i + 1]!;
    return value.length === 0 ? NO_SERVER_ID : value.toString('latin1');
  }
  return NO_SERVER_ID;
}
