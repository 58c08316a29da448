import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { labProcesses } from '../helpers/lab-processes.js';
import { describeBalancerLab, groupMembers, recordedPid } from './balancers-suite.js';

const installed = (program: string): boolean => spawnSync(program, ['-v'], { stdio: 'ignore' }).status === 0;

for (const kind of ['haproxy', 'nginx'] as const) {
  let balancerPid: number | undefined;
  if (installed(kind)) {
    describeBalancerLab({
      kind,
      runtime: 'process',
      onUp: async (lab, home) => {
        balancerPid = await recordedPid(home, lab, 'balancer');
      },
      assertNothingLeft: async (lab, home) => {
        expect(await labProcesses(lab)).toEqual([]);
        // nginx's workers carry no marker: its process group must be gone too.
        expect(balancerPid).toBeDefined();
        expect(await groupMembers(balancerPid ?? 0)).toEqual([]);
        expect(existsSync(path.join(home, lab))).toBe(false);
      },
    });
  }
}
