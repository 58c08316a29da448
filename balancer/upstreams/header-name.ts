// undici's header-name lookup, imported by path like its Pool (see
// undici-pool.ts): it turns the bytes of a common header name into one shared
// lower-case string, where toString().toLowerCase() would make two strings
// per header per response. test/balancer/upstreams/undici-pool.test.ts checks it.
import { headerNameToString } from 'undici/lib/core/util.js';

/** The lower-case name of a header as undici reads it (bytes) or as a string. */
export function lowerCaseHeaderName(name: Buffer | string): string {
  return headerNameToString(name);
}
