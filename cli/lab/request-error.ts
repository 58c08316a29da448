/**
 * Why an HTTP request got no answer, in one line: the codes and messages of
 * the error and its causes (`ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5060`),
 * or the time waited when it timed out.
 */
export function describeRequestError(error: unknown, timeoutMs?: number): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      if (current.name === 'TimeoutError' && timeoutMs !== undefined) return `no answer within ${timeoutMs} ms`;
      const code = (current as Error & { code?: unknown }).code;
      const line = typeof code === 'string' && !current.message.includes(code) ? `${code}: ${current.message}` : current.message;
      if (line !== '' && !parts.includes(line)) parts.push(line);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.length === 0 ? 'unknown error' : parts.join(' <- ');
}
