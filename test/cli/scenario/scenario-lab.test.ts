import { describe, expect, it } from 'vitest';
import { scenarioArgument } from '../../../cli/commands/run.js';
import { parseScenarioText } from '../../../cli/scenario/load-scenario.js';
import { defaultResultsDir } from '../../../cli/scenario/results-dir.js';
import { initialAlgorithm, labDifferences } from '../../../cli/scenario/scenario-lab.js';

const scenario = (text: string) => parseScenarioText(`${text}\nphases: [{kind: closed, requests: 1, concurrency: 1}]\n`, 'x.yaml');

describe('labDifferences (--reuse)', () => {
  const wanted = scenario('lab: {servers: 3, app: factorial}');
  it.each([
    [{ app: 'factorial', servers: ['server1', 'server2', 'server3'] }, []],
    [{ app: 'greeting', servers: ['server1', 'server2'] }, ['it has 2 servers, the scenario wants 3', "its app is greeting, the scenario's is factorial"]],
    [{ app: 'factorial', servers: ['server1', 'server2', 'server4'] }, ["its servers are server1, server2, server4, the scenario's are server1, server2, server3"]],
  ])('%j', (lab, expected) => {
    expect(labDifferences(wanted, lab)).toEqual(expected);
  });
});

describe('initialAlgorithm', () => {
  it('is the first of algorithms, else lab.algorithm, else round-robin', () => {
    expect(initialAlgorithm(scenario('algorithms: [maglev, random]\nlab: {algorithm: random}'))).toBe('maglev');
    expect(initialAlgorithm(scenario('lab: {algorithm: random}'))).toBe('random');
    expect(initialAlgorithm(scenario('name: x'))).toBe('round-robin');
  });
});

describe('scenarioArgument', () => {
  it('accepts `run kill-revive` and `run scenario kill-revive`', () => {
    expect(scenarioArgument('kill-revive', undefined)).toBe('kill-revive');
    expect(scenarioArgument('scenario', 'kill-revive')).toBe('kill-revive');
    expect(() => scenarioArgument('a', 'b')).toThrow('run takes one scenario (a built-in name or a YAML file), got "a" and "b"');
  });
});

describe('defaultResultsDir', () => {
  it('is results/<yyyymmdd-hhmmss>-<scenario> in local time', () => {
    expect(defaultResultsDir('kill-revive', new Date(2025, 2, 4, 5, 6, 7))).toBe('results/20250304-050607-kill-revive');
    expect(defaultResultsDir('a b/c', new Date(2025, 0, 1, 0, 0, 0), '/tmp/r')).toBe('/tmp/r/20250101-000000-a-b-c');
  });
});
