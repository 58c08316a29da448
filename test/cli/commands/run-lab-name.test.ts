import { describe, expect, it } from 'vitest';
import { scenarioLabName } from '../../../cli/commands/run-lab-name.js';
import { parseName } from '../../../cli/commands/option-parsers.js';

describe('scenarioLabName', () => {
  it('names a run lab after its scenario, a valid lab name', () => {
    expect(scenarioLabName('kill-revive', 123)).toBe('kill-revive-123');
    expect(scenarioLabName('./my dir/My_Scenario.YAML', 7)).toBe('my_scenario-7');
    const long = scenarioLabName(`${'x'.repeat(80)}.yaml`, 99999);
    expect(long).toHaveLength(63);
    expect(parseName('--lab', long)).toBe(long);
    expect(scenarioLabName('../.yaml', 5)).toBe('run-5');
  });
});
