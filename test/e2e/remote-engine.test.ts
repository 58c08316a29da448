import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerodeClient } from '../../cli/runtime/docker/dockerode-client.js';
import { labFilter } from '../../cli/runtime/docker/labels.js';
import { probeDockerEngine } from '../../cli/runtime/docker/engine.js';
import { isPortFree } from '../helpers/free-ports.js';
import { eventually, runLblab } from '../helpers/run-lblab.js';
import { startSecondDockerd, type SecondDockerd } from './second-dockerd.js';

// DOCKER_HOST pointing at another engine: a second dockerd on this machine,
// on its own socket (unix://) and on 127.0.0.1 (tcp://, no TLS), with its own
// data root, so it starts with no lblab images and shares nothing with the
// main engine the other tests use.
const started = await startSecondDockerd();
if (!started.ok) {
  const bar = '!'.repeat(78);
  console.warn(`\n${bar}\n!! REMOTE-ENGINE TEST SKIPPED: no second dockerd here: ${started.reason}\n!! test/cli/runtime/docker/docker-endpoint.test.ts still covers the endpoint handling.\n${bar}\n`);
}
const describeSecond: typeof describe.skip = started.ok ? describe : describe.skip;

/**
 * A free data/admin pair below the ephemeral range: `up` on an empty engine
 * builds images for seconds before it binds, and on a busy machine an
 * outgoing connection can take a free ephemeral port in that time.
 */
async function portPairBelowEphemeral(): Promise<number> {
  const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32_768;
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * (low - 20_002));
    if ((await isPortFree(port)) && (await isPortFree(port + 1))) return port;
  }
  throw new Error(`no free pair of ports from 20000 to ${low - 1} in 50 attempts`);
}

interface StatusJson {
  balancer: { url: string; adminUrl: string; state: string };
  servers: { name: string; state: string; health: string }[];
}

describeSecond('a lab on another engine through DOCKER_HOST (a second local dockerd)', () => {
  const daemon = (started as { daemon: SecondDockerd }).daemon;
  const mainEngine = probeDockerEngine(3_000);
  let home: string;

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lblab-remote-e2e-'));
  });

  afterAll(async () => {
    await daemon.stop();
    await rm(home, { recursive: true, force: true });
    expect(() => process.kill(daemon.pid, 0)).toThrow();
  }, 60_000);

  for (const transport of ['unix', 'tcp'] as const) {
    it(`${transport}://: up on that engine (images built there first), status shows the URL, the balancer answers there, down leaves nothing`, async () => {
      const dockerHost = transport === 'unix' ? daemon.unixHost : daemon.tcpHost;
      const env = { LBLAB_HOME: home, DOCKER_HOST: dockerHost };
      const lab = `remote${transport}${process.pid}`;
      const port = await portPairBelowEphemeral();
      const lblab = (...args: string[]) => runLblab([...args, '--lab', lab], env, 170_000);
      const second = new DockerodeClient({ dockerHost });
      try {
        const up = await lblab('up', '--runtime', 'docker', '--servers', '2', '--app', 'greeting', '--port', String(port));
        expect(up.code, up.stderr).toBe(0);
        expect(up.stdout).toContain(`balancer  http://127.0.0.1:${port}`);
        // The second engine starts empty: the first lab there builds lblab's images on it, offline.
        if (transport === 'unix') expect(`${up.stdout}${up.stderr}`).toMatch(/built image lblab\/server:/);

        const record = JSON.parse(await readFile(path.join(home, lab, 'lab.json'), 'utf8')) as { host?: string };
        expect(record.host).toBe('127.0.0.1');
        const status = JSON.parse((await lblab('status', '--json')).stdout) as StatusJson;
        expect(status.balancer).toMatchObject({ url: `http://127.0.0.1:${port}`, adminUrl: `http://127.0.0.1:${port + 1}`, state: 'running' });
        expect(status.servers.map((s) => `${s.name} ${s.health}`)).toEqual(['server1 up', 'server2 up']);

        // The members are on the second engine, and the main one has none of them.
        const containers = await second.listContainers(labFilter(lab));
        expect(containers.map((c) => c.Names[0]).sort()).toEqual([`/${lab}-balancer`, `/${lab}-server1`, `/${lab}-server2`]);
        const main = await mainEngine;
        if (main.ok) expect(await new DockerodeClient({ dockerHost: main.endpoint }).listContainers(labFilter(lab))).toEqual([]);
        const networks = await second.listNetworks(labFilter(lab));
        expect(networks).toHaveLength(1);

        const seen = new Set<string>();
        await eventually(async () => {
          const response = await fetch(`http://127.0.0.1:${port}/home`);
          seen.add(response.headers.get('x-server-id') ?? '(none)');
          return seen.has('server1') && seen.has('server2');
        }, 'both servers to answer through the balancer', 10_000);
        expect([...seen].sort()).toEqual(['server1', 'server2']);

        const down = await lblab('down');
        expect(down.code, down.stderr).toBe(0);
        expect(await second.listContainers(labFilter(lab))).toEqual([]);
        expect(await second.listNetworks(labFilter(lab))).toEqual([]);
      } finally {
        await lblab('down');
      }
    }, 180_000);
  }

});
