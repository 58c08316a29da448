import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenarioText } from '../../../cli/scenario/load-scenario.js';
import { scenarioBalancer, scenarioBalancerSettings } from '../../../cli/scenario/scenario-balancer.js';
import { builtinScenarioDir } from '../../../cli/scenario/builtins.js';

const PHASES = ['phases:', '  - {kind: closed, requests: 10, concurrency: 1}'];
const parse = (...lines: string[]) => parseScenarioText([...lines, ...PHASES, ''].join('\n'), 'test.yaml');
const message = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  return '';
};

describe('the balancer of a scenario', () => {
  it('is lblab by default, lab.balancer.kind otherwise, with the rest of lab.balancer passed through', () => {
    expect(scenarioBalancer(parse())).toEqual({ kind: 'lblab', closest: false });
    const scenario = parse('lab:', '  balancer: {kind: haproxy, closest: true, retries: {count: 0}}');
    expect(scenarioBalancer(scenario)).toEqual({ kind: 'haproxy', closest: true, settings: { retries: { count: 0 } } });
    expect(scenarioBalancerSettings(scenario, 'random')).toMatchObject({ balancer: { retries: { count: 0 } }, algorithm: 'random' });
  });

  it('runs one pass per kind of `balancers`, with closest on unless turned off', () => {
    expect(scenarioBalancer(parse('balancers: [lblab, nginx]'))).toEqual({ kind: 'lblab', passes: ['lblab', 'nginx'], closest: true });
    expect(scenarioBalancer(parse('balancers: [nginx]', 'lab:', '  balancer: {closest: false}')).closest).toBe(false);
  });

  it('refuses an unknown kind, and balancers together with algorithms', () => {
    expect(message(() => parse('lab:', '  balancer: {kind: envoy}'))).toMatch(/lab\.balancer\.kind.*must be one of lblab, haproxy, nginx/);
    expect(message(() => parse('balancers: [lblab, traefik]'))).toMatch(/balancers/);
    expect(message(() => parse('balancers: [lblab, haproxy]', 'algorithms: [random]'))).toMatch(/cannot be combined with algorithms/);
  });

  it('ships the built-in `balancers` scenario: kill-revive through lblab, HAProxy and nginx', async () => {
    const scenario = await loadScenarioFile(path.join(builtinScenarioDir(), 'balancers.yaml'));
    expect(scenarioBalancer(scenario).passes).toEqual(['lblab', 'haproxy', 'nginx']);
    expect(scenario.actions.map((action) => [action.action, action.atMs])).toEqual([
      ['kill', 3000],
      ['revive', 8000],
    ]);
  });
});
