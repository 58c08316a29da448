import { NO_FAULT } from '../../sample-server/fault.js';
import type { SampleServerOptions } from '../../sample-server/options.js';
import { createSampleServer, type SampleServer, type SampleServerDeps } from '../../sample-server/server.js';

export const baseOptions: SampleServerOptions = {
  name: 'server1',
  host: '127.0.0.1',
  port: 0,
  app: 'factorial',
  username: 'server1',
  fault: NO_FAULT,
  logRequests: false,
};

/** Starts servers on 127.0.0.1:0 with logs captured; closeAll() in afterEach. */
export function serverPool(): {
  start(options?: Partial<SampleServerOptions>, deps?: SampleServerDeps): Promise<SampleServer & { logs: string[] }>;
  closeAll(): Promise<void>;
} {
  const servers: SampleServer[] = [];
  return {
    async start(options = {}, deps = {}) {
      const logs: string[] = [];
      const server = await createSampleServer({ ...baseOptions, ...options }, { log: (line) => logs.push(line), ...deps });
      servers.push(server);
      return Object.assign(server, { logs });
    },
    async closeAll() {
      await Promise.all(servers.splice(0).map((server) => server.close()));
    },
  };
}

export async function getJson(url: string, init?: RequestInit): Promise<{ status: number; serverId: string | null; body: any }> {
  const response = await fetch(url, init);
  return { status: response.status, serverId: response.headers.get('x-server-id'), body: await response.json() };
}

export function postJson(url: string, body: unknown, method = 'POST'): Promise<{ status: number; serverId: string | null; body: any }> {
  return getJson(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Polls until `check` passes, at most `attempts` times, 20 ms apart. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, attempts = 250): Promise<T> {
  let value = await read();
  for (let attempt = 1; attempt < attempts && !check(value); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}
