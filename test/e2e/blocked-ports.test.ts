import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isPortFree } from '../helpers/free-ports.js';
import { labProcesses } from '../helpers/lab-processes.js';
import { runLblab } from '../helpers/run-lblab.js';

/** Data ports whose admin port (port + 1) is on the Fetch standard's blocked list, which Node's fetch refuses. */
const PORTS_BEFORE_BLOCKED = [5059, 5060, 6665, 6666, 6667, 6668, 6696, 10079];

describe('a lab whose admin port is on the Fetch blocked list', { timeout: 60_000 }, () => {
  it('lblab up --port 5059 (admin 5060) starts, and status reaches the admin API', async () => {
    let port: number | undefined;
    for (const candidate of PORTS_BEFORE_BLOCKED) {
      if ((await isPortFree(candidate)) && (await isPortFree(candidate + 1))) {
        port = candidate;
        break;
      }
    }
    if (port === undefined) throw new Error(`no free pair among ${PORTS_BEFORE_BLOCKED.join(', ')} (+1) on this machine`);
    const lab = `blocked-${randomBytes(3).toString('hex')}`;
    const home = await mkdtemp(path.join(os.tmpdir(), 'lblab-e2e-blocked-'));
    const env = { LBLAB_HOME: home };
    try {
      const up = await runLblab(['up', '--runtime', 'process', '--servers', '1', '--port', String(port), '--lab', lab], env);
      expect(up.code, up.stderr).toBe(0);
      expect(up.stdout).toContain(`admin     http://127.0.0.1:${port + 1}`);
      const status = await runLblab(['status', '--json', '--lab', lab], env);
      expect(status.code, status.stderr).toBe(0);
      expect((JSON.parse(status.stdout) as { balancer: { reachable: boolean } }).balancer.reachable).toBe(true);
    } finally {
      await runLblab(['down', '--lab', lab], env);
      expect(await labProcesses(lab)).toEqual([]);
      await rm(home, { recursive: true, force: true });
    }
  });
});
