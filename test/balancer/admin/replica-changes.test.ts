import { describe, expect, it } from 'vitest';

import { seededRandom } from '../../../balancer/algorithms/index.js';
import { AdminRequestError } from '../../../balancer/admin/admin-error.js';
import { planAdd, planRemove } from '../../../balancer/admin/replica-changes.js';

function thrownBy(run: () => unknown): { status?: number; body?: unknown; message: string } {
  try {
    run();
  } catch (error) {
    const e = error as Error;
    return error instanceof AdminRequestError ? { status: error.status, body: error.body, message: e.message } : { message: e.message };
  }
  throw new Error('expected a throw');
}

describe('planAdd', () => {
  const template = 'http://{name}:3000';

  it.each([
    ['hostnames only', { n: 1, hostnames: ['s4'] }, ['server1'], [{ name: 's4', url: 'http://s4:3000' }]],
    [
      'n above hostnames: smallest free server<k>',
      { n: 3, hostnames: ['s4'] },
      ['server1', 'server3'],
      [
        { name: 's4', url: 'http://s4:3000' },
        { name: 'server2', url: 'http://server2:3000' },
        { name: 'server4', url: 'http://server4:3000' },
      ],
    ],
    ['n only', { n: 1 }, [], [{ name: 'server1', url: 'http://server1:3000' }]],
    [
      'hostnames and servers naming the same server (the CLI)',
      { n: 1, hostnames: ['s4'], servers: [{ name: 's4', url: 'http://127.0.0.1:9004' }] },
      [],
      [{ name: 's4', url: 'http://127.0.0.1:9004' }],
    ],
    [
      'servers without n',
      { servers: [{ name: 'a', url: 'http://127.0.0.1:1', weight: 2 }, { name: 'b', url: 'http://127.0.0.1:2' }] },
      [],
      [
        { name: 'a', url: 'http://127.0.0.1:1', weight: 2 },
        { name: 'b', url: 'http://127.0.0.1:2' },
      ],
    ],
  ])('%s', (_label, body, existing, expected) => {
    expect(planAdd(body, { existing, urlTemplate: template })).toEqual(expected);
  });

  it('refuses more names than n with the exact seed body', () => {
    expect(thrownBy(() => planAdd({ n: 1, hostnames: ['a', 'b'] }, { existing: [], urlTemplate: template }))).toEqual({
      status: 400,
      body: { message: 'Error, number of hostnames is greater than newly added instances', status: 'failure' },
      message: 'Error, number of hostnames is greater than newly added instances',
    });
    expect(
      thrownBy(() => planAdd({ n: 1, hostnames: ['a'], servers: [{ name: 'b', url: 'http://127.0.0.1:1' }] }, { existing: [] })).body,
    ).toEqual({ message: 'Error, number of hostnames is greater than newly added instances', status: 'failure' });
  });

  it.each([
    ['body not an object', [1], 'request body must be an object, got [1]'],
    ['n zero', { n: 0 }, 'n must be an integer from 1 to 256, got 0'],
    ['no n and no names', {}, 'n must be an integer from 1 to 256, got undefined'],
    ['hostnames a string', { hostnames: 's4' }, 'hostnames must be an array of server names, got "s4"'],
    ['repeated hostname', { hostnames: ['a', 'a'] }, 'hostnames must not repeat a name, got "a" twice'],
    ['existing name', { hostnames: ['server1'] }, 'server "server1" already exists; servers: server1'],
  ])('refuses %s', (_label, body, message) => {
    expect(thrownBy(() => planAdd(body, { existing: ['server1'], urlTemplate: template })).message).toBe(message);
  });

  it('refuses names without urls when no template is configured, naming hostnames', () => {
    expect(thrownBy(() => planAdd({ n: 2, hostnames: ['s4'] }, { existing: [] }))).toEqual({
      status: 400,
      body: {
        status: 'failure',
        message:
          'hostnames ["s4","server1"] have no url: servers need urls and this balancer has no serverUrlTemplate; ' +
          'pass "servers":[{"name":"s4","url":"http://host:port"}]',
      },
      message: expect.any(String),
    });
  });
});

describe('planRemove', () => {
  const existing = ['server1', 'server2', 'server3', 'server4'];

  it('removes the named servers', () => {
    expect(planRemove({ n: 2, hostnames: ['server3', 'server1'] }, existing, seededRandom(1))).toEqual(['server3', 'server1']);
  });

  it('fills up to n with others chosen by the injected random source, the same for the same seed', () => {
    const first = planRemove({ n: 3, hostnames: ['server2'] }, existing, seededRandom(7));
    expect(first).toHaveLength(3);
    expect(first[0]).toBe('server2');
    expect(new Set(first).size).toBe(3);
    expect(planRemove({ n: 3, hostnames: ['server2'] }, existing, seededRandom(7))).toEqual(first);
  });

  it('refuses more hostnames than n with the exact seed body', () => {
    expect(thrownBy(() => planRemove({ n: 1, hostnames: ['server1', 'server2'] }, existing, Math.random)).body).toEqual({
      message: 'Error, number of hostnames is greater than removable instances',
      status: 'failure',
    });
  });

  it.each([
    ['an unknown name', { hostnames: ['server9'] }, 'unknown server "server9" in hostnames; servers: server1, server2, server3, server4'],
    ['n above the server count', { n: 5 }, 'n must be at most the number of servers (4), got 5'],
    ['n negative', { n: -1 }, 'n must be an integer from 1 to 256, got -1'],
  ])('refuses %s', (_label, body, message) => {
    expect(thrownBy(() => planRemove(body, existing, Math.random)).message).toBe(message);
  });
});
