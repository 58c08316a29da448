import { describe, expect, it } from 'vitest';
import { LabError } from '../../../cli/errors.js';
import { parseScenarioText } from '../../../cli/scenario/load-scenario.js';

const SOURCE = 'scenarios/x.yaml';

/** The LabError a bad scenario text throws. */
function problemsOf(text: string): LabError {
  try {
    parseScenarioText(text, SOURCE);
  } catch (error) {
    if (error instanceof LabError) return error;
    throw error;
  }
  throw new Error('expected the scenario to be rejected');
}

function lines(...items: string[]): string {
  return `${items.join('\n')}\n`;
}

describe('a good scenario file', () => {
  it('takes per-server weights and usernames in its lab', () => {
    const scenario = parseScenarioText(
      lines('lab:', '  weights: {server1: 3, server2: 1}', '  usernames: {server1: jack, server2: tom}', 'phases: [{kind: closed, requests: 1, concurrency: 1}]'),
      SOURCE,
    );
    expect(scenario.lab.weights).toEqual({ server1: 3, server2: 1 });
    expect(scenario.lab.usernames).toEqual({ server1: 'jack', server2: 'tom' });
  });

  it('is normalised: durations in ms, defaults applied, action targets in one shape', () => {
    const scenario = parseScenarioText(
      lines(
        'name: demo',
        'description: a bit of everything',
        'seed: 7',
        'lab:',
        '  servers: 4',
        '  app: greeting',
        '  algorithm: least-connections',
        '  runtime: process',
        '  health: {intervalMs: 200ms, timeoutMs: 0.15s, fall: 3}',
        '  faults:',
        '    server3: {errorRate: 0.3, latencyMs: [100ms, 300ms], concurrency: 4}',
        '  balancer:',
        '    retries: {count: 1}',
        'phases:',
        '  - kind: closed',
        '    requests: 100',
        '    concurrency: 5',
        '  - name: steady',
        '    kind: open',
        '    rate: 200',
        '    duration: 2.5s',
        '    method: post',
        '    path: /register?username=server2',
        '    body: {user: ann}',
        '    headers: {x-trace: 1}',
        '    keys: {count: 100}',
        '    timeout: 2000',
        'actions:',
        '  - {at: 3s, action: kill, target: server2}',
        '  - {at: 500ms, action: add}',
        '  - {at: 4s, action: rm, target: [server5]}',
        '  - {at: 5s, action: fault, target: {server: server1, latencyMs: 50}}',
        '  - {at: 6s, action: fault, target: {server: server1, clear: true}}',
        '  - {at: 7s, action: algorithm, target: maglev}',
        'thresholds:',
        '  errors: 0',
        '  p99Ms: "< 200"',
        '  maxShare: "<=0.4"',
      ),
      SOURCE,
    );
    expect(scenario).toMatchObject({
      name: 'demo',
      source: SOURCE,
      seed: 7,
      lab: {
        servers: 4,
        app: 'greeting',
        algorithm: 'least-connections',
        runtime: 'process',
        health: { intervalMs: 200, timeoutMs: 150, fall: 3 },
        faults: { server3: { errorRate: 0.3, latencyMs: [100, 300], concurrency: 4 } },
        balancer: { retries: { count: 1 } },
      },
    });
    expect(scenario.phases).toEqual([
      { kind: 'closed', requests: 100, concurrency: 5, path: '/', method: 'GET' },
      {
        name: 'steady',
        kind: 'open',
        rate: 200,
        duration: 2500,
        method: 'POST',
        path: '/register?username=server2',
        body: { user: 'ann' },
        headers: { 'x-trace': '1' },
        keys: { param: 'id', count: 100, distribution: 'uniform' },
        timeout: 2000,
      },
    ]);
    expect(scenario.actions).toEqual([
      { atMs: 3000, action: 'kill', servers: ['server2'] },
      { atMs: 500, action: 'add', servers: [] },
      { atMs: 4000, action: 'rm', servers: ['server5'] },
      { atMs: 5000, action: 'fault', server: 'server1', fault: { latencyMs: 50 } },
      { atMs: 6000, action: 'fault', server: 'server1', fault: undefined },
      { atMs: 7000, action: 'algorithm', algorithm: 'maglev' },
    ]);
    expect(scenario.thresholds).toEqual({ errors: 0, p99Ms: { operator: '<', value: 200 }, maxShare: { operator: '<=', value: 0.4 } });
  });

  it('takes its name from the file when it has none, and defaults the lab', () => {
    const scenario = parseScenarioText(lines('phases:', '  - {kind: closed, requests: 1, concurrency: 1}'), 'somewhere/quick-check.yml');
    expect(scenario.name).toBe('quick-check');
    expect(scenario.lab).toEqual({ servers: 3, app: 'factorial' });
    expect(scenario.actions).toEqual([]);
    expect(scenario.thresholds).toEqual({});
  });
});

describe('a bad scenario file', () => {
  it('gets one message with file, line, field, expected and received value', () => {
    const error = problemsOf(lines('name: x', 'phases:', '  - kind: open', '    duration: 10s', '    rate: fast'));
    expect(error.code).toBe('LBLAB_SCENARIO');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('scenarios/x.yaml:5: phases[0].rate must be a positive number, got "fast"');
  });

  it('keeps a line break inside a quoted key on its problem line, escaped', () => {
    const error = problemsOf(lines('name: x', 'phases:', '  - {kind: closed, requests: 1, concurrency: 1, "a\\nb": 1}'));
    expect(error.message).toBe('scenarios/x.yaml:3: phases[0].a\\nb is not a known field; ' + error.message.split('; ')[1]);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('gets every problem, one line each, in file order', () => {
    const error = problemsOf(
      lines(
        'name: x', //                                   1
        'lab:', //                                      2
        '  servers: 0', //                              3
        '  app: foo', //                                4
        '  faults:', //                                 5
        '    server2: {errorRate: 2, concurrency: -1}', // 6
        '  balancer:', //                               7
        '    port: 9', //                               8
        'phases:', //                                   9
        '  - kind: closed', //                          10
        '    requests: 100', //                         11
        '    rate: 3', //                               12
        '  - kind: open', //                            13
        '    rat: 5', //                                14
        'actions:', //                                  15
        '  - at: 3x', //                                16
        '    action: kill', //                          17
        '    target: server2', //                       18
        '  - {at: 1s, action: explode}', //             19
        '  - {at: 2s, action: fault, target: {server: server2}}', // 20
        'thresholds:', //                               21
        '  p99Ms: fast', //                             22
        '  p100Ms: 3', //                               23
      ),
    );
    expect(error.message.split('\n')).toEqual([
      'scenarios/x.yaml has 15 problems:',
      'scenarios/x.yaml:3: lab.servers must be an integer from 1 to 256, got 0',
      'scenarios/x.yaml:4: lab.app must be one of factorial, greeting, got "foo"',
      'scenarios/x.yaml:6: lab.faults.server2.errorRate must be a number from 0 to 1, got 2',
      'scenarios/x.yaml:6: lab.faults.server2.concurrency must be an integer from 0 (no limit) to 10000, got -1',
      'scenarios/x.yaml:8: lab.balancer.port is set by lblab, not in lab.balancer (use the lab fields or the run flags)',
      'scenarios/x.yaml:10: phases[0].concurrency is required in a closed phase: an integer from 1 to 10000',
      'scenarios/x.yaml:12: phases[0].rate belongs to open phases; this phase is closed',
      'scenarios/x.yaml:13: phases[1].rate is required in an open phase: a positive number (requests per second)',
      'scenarios/x.yaml:13: phases[1].duration is required in an open phase: a duration above 0 like 10s',
      'scenarios/x.yaml:14: phases[1].rat is not a known field; known fields: name, kind, file, speed, requests, concurrency, rate, duration, maxInFlight, connections, path, method, body, headers, keys, timeout, connection',
      'scenarios/x.yaml:16: actions[0].at must be a duration like 3s, 500ms or 250 (milliseconds), got "3x"',
      'scenarios/x.yaml:19: actions[1].action must be one of kill, revive, pause, unpause, add, rm, fault, algorithm, got "explode"',
      'scenarios/x.yaml:20: actions[2].target needs errorRate, latencyMs, hang, concurrency or clear: true',
      'scenarios/x.yaml:22: thresholds.p99Ms must be a number or a comparison like "< 200" (<, <=, >, >=, ==), got "fast"',
      'scenarios/x.yaml:23: thresholds.p100Ms is not a known field; known fields: requests, errors, errorRate, okRate, p50Ms, p90Ms, p99Ms, maxShare, minShare',
    ]);
  });

  it.each([
    ['missing phases', lines('name: x'), 'scenarios/x.yaml:1: phases is required: a list of load phases'],
    ['no phases', lines('phases: []'), 'scenarios/x.yaml:1: phases must be a list of at least one load phase, got a list'],
    ['a list at the top', lines('- 1'), 'scenarios/x.yaml:1: the scenario must be a mapping with name, description, lab, phases, actions and thresholds, got a list'],
    ['an empty file', '', 'scenarios/x.yaml:1: the file is empty; a scenario needs at least phases'],
    [
      'a YAML syntax error',
      lines('name: x', 'lab: servers: 3', 'phases: []'),
      'scenarios/x.yaml:2: YAML syntax error: Nested mappings are not allowed in compact mappings',
    ],
    [
      'a duplicate key',
      lines('name: x', 'name: y', 'phases: [{kind: closed, requests: 1, concurrency: 1}]'),
      'scenarios/x.yaml:2: YAML syntax error: Map keys must be unique',
    ],
    [
      'a bad kind',
      lines('phases:', '  - kind: burst'),
      'scenarios/x.yaml:2: phases[0].kind must be one of closed, open, replay, got "burst"',
    ],
    [
      'a bad server key in faults',
      lines('lab:', '  faults:', '    Server2: {hang: true}', 'phases: [{kind: closed, requests: 1, concurrency: 1}]'),
      'scenarios/x.yaml:3: lab.faults has the key "Server2", which must be a server name like server2 (lowercase letters, digits, ".", "_" or "-")',
    ],
    [
      'a fault on a server the lab does not have',
      lines('lab:', '  servers: 2', '  faults:', '    server3: {hang: true}', 'phases: [{kind: closed, requests: 1, concurrency: 1}]'),
      'scenarios/x.yaml:4: lab.faults.server3 names no server of the lab; servers: server1, server2',
    ],
    [
      'a weight on a server the lab does not have',
      lines('lab:', '  servers: 2', '  weights:', '    server3: 2', 'phases: [{kind: closed, requests: 1, concurrency: 1}]'),
      'scenarios/x.yaml:4: lab.weights.server3 names no server of the lab; servers: server1, server2',
    ],
    [
      'an action on a server that is gone by then',
      lines(
        'phases: [{kind: closed, requests: 1, concurrency: 1}]',
        'actions:',
        '  - {at: 1s, action: add, target: server4}',
        '  - {at: 2s, action: rm, target: server4}',
        '  - {at: 3s, action: kill, target: server4}',
      ),
      'scenarios/x.yaml:5: actions[2].target names server4, which is not in the lab at that time; servers then: server1, server2, server3',
    ],
    [
      'an add of a server that exists',
      lines('phases: [{kind: closed, requests: 1, concurrency: 1}]', 'actions:', '  - {at: 1s, action: add, target: server1}'),
      'scenarios/x.yaml:3: actions[0].target adds server1, which is already in the lab',
    ],
    [
      'a bad latency range',
      lines('phases: [{kind: closed, requests: 1, concurrency: 1}]', 'actions:', '  - {at: 1s, action: fault, target: {server: server1, latencyMs: [300, 100]}}'),
      'scenarios/x.yaml:3: actions[0].target.latencyMs must be a duration like 200ms, or a range like [100ms, 300ms], got a list',
    ],
    [
      'an unknown algorithm in algorithms',
      lines('algorithms: [round-robin, fastest]', 'phases: [{kind: closed, requests: 1, concurrency: 1}]'),
      'scenarios/x.yaml:1: algorithms[1] must be one of round-robin, weighted-round-robin, least-connections, power-of-two, random, least-response-time, consistent-hash, first-available, maglev, got "fastest"',
    ],
  ])('%s', (_what, text, message) => {
    expect(problemsOf(text).message).toBe(message);
  });
});

describe('lab.balancer.adminAuth', () => {
  it('takes token or none', () => {
    const scenario = parseScenarioText(
      lines('name: open-admin', 'lab:', '  balancer: {adminAuth: none}', 'phases:', '  - {kind: closed, requests: 1, concurrency: 1}'),
      SOURCE,
    );
    expect(scenario.lab.balancer).toEqual({ adminAuth: 'none' });
  });

  it('names any other value with its line', () => {
    const error = problemsOf(lines('name: x', 'lab:', '  balancer:', '    adminAuth: off', 'phases:', '  - {kind: closed, requests: 1, concurrency: 1}'));
    expect(error.message).toBe('scenarios/x.yaml:4: lab.balancer.adminAuth must be token or none, got "off"');
  });
});

describe('lab.balancer.workers', () => {
  it('takes a count or auto, checked by the balancer', () => {
    const scenario = parseScenarioText(
      lines('name: cores', 'lab:', '  balancer: {workers: 2}', 'phases:', '  - {kind: closed, requests: 1, concurrency: 1}'),
      SOURCE,
    );
    expect(scenario.lab.balancer).toEqual({ workers: 2 });
  });

  it('names a wrong value with its line and the range', () => {
    const error = problemsOf(lines('name: x', 'lab:', '  balancer:', '    workers: many', 'phases:', '  - {kind: closed, requests: 1, concurrency: 1}'));
    expect(error.message).toMatch(/^scenarios\/x\.yaml:4: lab\.balancer\.workers must be an integer from 1 to \d+ or "auto", got "many"$/);
  });
});
