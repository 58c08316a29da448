import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH } from '../../../balancer/config/config.js';
import { alreadyUpError } from '../../../cli/lab/already-up-error.js';
import type { LabRecord } from '../../../cli/lab/lab-record.js';
import type { LabMember } from '../../../cli/runtime/runtime.js';

const record: LabRecord = {
  lab: 'lblab',
  runtime: 'process',
  app: 'factorial',
  port: 8080,
  adminPort: 8081,
  algorithm: 'round-robin',
  health: DEFAULT_HEALTH,
  createdAt: '2026-11-26T00:00:00.000Z',
};
const servers: LabMember[] = [
  { name: 'server1', role: 'server', state: 'running' },
  { name: 'server2', role: 'server', state: 'running' },
];

describe('alreadyUpError', () => {
  it('says the lab is up when its balancer runs', () => {
    const error = alreadyUpError(record, [...servers, { name: 'balancer', role: 'balancer', state: 'running' }]);
    expect(error.code).toBe('LBLAB_LAB_ALREADY_UP');
    expect(error.message).toContain('lab "lblab" is already up');
  });

  it('says the balancer is down and how to bring it back, instead of "already up"', () => {
    const error = alreadyUpError(record, [...servers, { name: 'balancer', role: 'balancer', state: 'stopped' }]);
    expect(error.message).toBe(
      'lab "lblab" has 2 running servers but its balancer is stopped (process runtime, balancer http://127.0.0.1:8080); ' +
        'start afresh with `lblab down` then `lblab up`, or bring it back: lblab revive balancer',
    );
  });

  it('says to unpause a paused balancer', () => {
    expect(alreadyUpError(record, [...servers, { name: 'balancer', role: 'balancer', state: 'paused' }]).message).toMatch(/bring it back: lblab unpause balancer$/);
  });
});
