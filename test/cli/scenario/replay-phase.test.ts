import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../../cli/scenario/load-scenario.js';
import { describePhase, phaseLoadOptions } from '../../../cli/scenario/phase-load-options.js';

const text = (phase: string): string => ['name: r', 'phases:', `  - ${phase}`].join('\n');

describe('a replay phase', () => {
  it('reads file and speed, and becomes a replay model with the schedule', () => {
    const scenario = parseScenarioText(text('{kind: replay, file: results/x/schedule.tsv, speed: 2}'), 'r.yaml');
    const phase = scenario.phases[0];
    expect(phase).toMatchObject({ kind: 'replay', file: 'results/x/schedule.tsv', speed: 2 });
    if (phase === undefined) return;
    expect(describePhase(phase)).toBe('replay: results/x/schedule.tsv at speed 2');
    const schedule = { offsetsMs: [0, 5], methods: ['POST', 'POST'], paths: ['/a?id=1', '/a?id=2'], keys: ['1', '2'], bodyBytes: [3, 3] };
    const options = phaseLoadOptions(phase, { url: 'http://127.0.0.1:1', seed: 1, schedule });
    expect(options.model).toEqual({ kind: 'replay', offsetsMs: [0, 5], paths: ['/a?id=1', '/a?id=2'], speed: 2 });
    expect(options.method).toBe('POST');
    expect(options.body).toBe('xxx');
  });

  it('needs a file and takes no rate or requests', () => {
    expect(() => parseScenarioText(text('{kind: replay, rate: 5}'), 'r.yaml')).toThrow(/phases\[0\]\.file is required in a replay phase/);
    expect(() => parseScenarioText(text('{kind: replay, file: s.tsv, rate: 5}'), 'r.yaml')).toThrow(/phases\[0\]\.rate does not belong to a replay phase/);
    expect(() => parseScenarioText(text('{kind: open, rate: 5, duration: 1s, speed: 2}'), 'r.yaml')).toThrow(/phases\[0\]\.speed belongs to replay phases; this phase is open/);
  });
});
