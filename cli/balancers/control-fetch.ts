import type { AdminResponse, AdminTransport } from '../lab/admin-transport.js';
import { undiciTransport } from '../lab/admin-transport.js';
import type { BalancerControl } from './balancer-control.js';

type FeedInit = { signal: AbortSignal; headers?: Record<string, string> };

/**
 * A fetch that answers the dashboard's GET /stats and GET /events (server-sent
 * events) from a balancer control, so the dashboard shows HAProxy and nginx
 * labs as it shows lblab's: stats from HAProxy's runtime API, health events
 * from its polled `show stat`; nginx warns that it keeps no health state.
 */
export function controlFetch(control: BalancerControl): (url: string, init: FeedInit) => Promise<Response> {
  return async (url, init) => {
    const path = new URL(url).pathname;
    if (path === '/stats') {
      return new Response(JSON.stringify(await control.stats(2_000)), { headers: { 'content-type': 'application/json' } });
    }
    if (path === '/events') {
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start: async (controller) => {
          const watch = await control.watchHealth({
            onEvent: (event) => controller.enqueue(encoder.encode(`data: ${JSON.stringify(event)}\n\n`)),
            onWarning: () => undefined,
          });
          const stop = (): void => {
            void watch.close();
            try {
              controller.close();
            } catch {
              // already closed by the reader
            }
          };
          if (init.signal.aborted) stop();
          else init.signal.addEventListener('abort', stop, { once: true });
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    }
    return new Response(JSON.stringify({ status: 'failure', message: `${control.kind} has no ${path}` }), { status: 404 });
  };
}

/**
 * The same for a lab whose balancer may change kind while it is watched (a
 * `balancers` run): each request asks the lab record which kind runs now;
 * lblab's balancer is fetched over HTTP as it is.
 */
export function labControlTransport(currentControl: () => Promise<BalancerControl | undefined>): AdminTransport {
  return async (url, init) => {
    const control = await currentControl();
    if (control === undefined || control.kind === 'lblab') return undiciTransport(url, init);
    return adminResponse(await controlFetch(control)(url, { signal: init.signal, ...(init.headers === undefined ? {} : { headers: { ...init.headers } }) }));
  };
}

/** A fetch Response as the admin transport's answer. */
function adminResponse(response: Response): AdminResponse {
  const stream = response.body;
  const body: AsyncIterable<Uint8Array> = stream ?? (async function* () {})();
  return {
    status: response.status,
    body,
    text: () => response.text(),
    dump: async () => {
      await stream?.cancel().catch(() => undefined);
    },
  };
}
