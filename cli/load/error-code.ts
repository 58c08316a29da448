/** Error code of a failed request: the error's `code` (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, ...), else its name. */
export function errorCodeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && code !== '') return code;
    if (typeof name === 'string' && name !== '') return name;
  }
  return 'UNKNOWN';
}
