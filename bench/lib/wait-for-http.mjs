// Readiness by HTTP: polls a URL until it answers 200, bounded in time.
import http from 'node:http';

export async function waitForHttp(url, { timeoutMs = 10_000, intervalMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    const outcome = await getOnce(url, 1000);
    if (outcome.status === 200) return outcome;
    lastError = outcome.error ?? `status ${outcome.status}`;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${lastError})`);
}

/** One GET without keep-alive; never rejects. @returns {Promise<{status?: number, headers?: object, body?: string, error?: string}>} */
export function getOnce(url, timeoutMs, headers = {}) {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: timeoutMs, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        if (body.length < 100_000) body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body }));
      response.on('error', (error) => resolve({ error: error.message }));
    });
    request.on('timeout', () => request.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    request.on('error', (error) => resolve({ error: error.code ?? error.message }));
  });
}
