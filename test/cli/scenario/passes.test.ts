import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../../cli/scenario/load-scenario.js';
import { labPasses, passFolderName, passScenario } from '../../../cli/scenario/scenario-passes.js';

const PHASES = ['phases:', '  - {kind: closed, requests: 10, concurrency: 2, path: /home}'];

function scenario(lines: readonly string[]) {
  return parseScenarioText([...lines, ...PHASES, ''].join('\n'), 'test.yaml');
}

function problems(lines: readonly string[]): string {
  try {
    scenario(lines);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the scenario was accepted');
}

describe('scenario passes (a lab of their own each)', () => {
  it('give each pass its mode and connection policy, and the phases the pass policy', () => {
    const parsed = scenario([
      'lab: {servers: 3, balancer: {retries: {count: 0}}}',
      'passes:',
      '  - {name: tcp keep-alive, mode: tcp}',
      '  - {name: http new, mode: http, connection: new}',
      '  - {name: as the lab}',
    ]);
    const passes = labPasses(parsed);
    expect(passes).toEqual([
      { name: 'tcp keep-alive', mode: 'tcp' },
      { name: 'http new', mode: 'http', connection: 'new' },
      { name: 'as the lab', mode: 'http' },
    ]);
    const second = passScenario(parsed, passes?.[1] as NonNullable<typeof passes>[number]);
    expect(second.lab.balancer).toEqual({ retries: { count: 0 }, mode: 'http' });
    expect(second.phases[0]?.connection).toBe('new');
    expect(passScenario(parsed, passes?.[0] as NonNullable<typeof passes>[number]).phases[0]?.connection).toBeUndefined();
  });

  it('name their results folder after the pass', () => {
    expect(passFolderName(2, 'tcp new connection')).toBe('3-tcp-new-connection');
    expect(passFolderName(0, '***')).toBe('1-pass');
  });

  it('refuse an algorithm that does not work per connection, wherever a tcp-mode lab meets it', () => {
    const message = problems([
      'lab: {algorithm: least-response-time}',
      'passes:',
      '  - {name: tcp, mode: tcp}',
      'actions:',
      '  - {at: 1s, action: algorithm, target: least-response-time}',
    ]);
    expect(message).toContain('test.yaml:1: lab.algorithm is refused in tcp mode: algorithm "least-response-time" does not work in tcp mode');
    expect(message).toContain('algorithms in tcp mode: round-robin, weighted-round-robin, least-connections');
    expect(message).toContain('test.yaml:5: actions[0].target is refused in tcp mode');
  });

  it('refuse a wrong mode and a wrong connection policy', () => {
    const message = problems(['lab: {balancer: {mode: udp}}', 'passes:', '  - {name: a, connection: close}']);
    expect(message).toContain('test.yaml:1: lab.balancer.mode must be http or tcp, got "udp"');
    expect(message).toContain('test.yaml:3: passes[0].connection must be one of keep-alive, new, got "close"');
  });

  it('refuse passes with algorithms, and repeated pass names', () => {
    const message = problems(['algorithms: [round-robin]', 'passes:', '  - {name: a}', '  - {name: a}']);
    expect(message).toContain('passes cannot be combined with algorithms');
    expect(message).toContain('passes[1].name repeats the pass name "a"');
  });

  it('accept lab.balancer.mode tcp and a tcp health check', () => {
    const parsed = scenario(['lab: {balancer: {mode: tcp}, health: {check: http}}']);
    expect(parsed.lab.balancer).toEqual({ mode: 'tcp' });
    expect(parsed.lab.health?.check).toBe('http');
  });
});
