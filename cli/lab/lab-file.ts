import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { BalancerConfig, HealthCheckOptions } from '../../balancer/config/config.js';
import { DEFAULT_HEALTH } from '../../balancer/config/config.js';
import { LabError } from '../errors.js';
import type { UpOptions } from './up.js';
import { toFaultSpec } from '../scenario/apply-scenario-action.js';
import { parseScenarioText } from '../scenario/load-scenario.js';
import { initialAlgorithm } from '../scenario/scenario-lab.js';

/** What a lab file sets of `up`: the lab block of a scenario. */
export type LabFileSettings = Pick<
  UpOptions,
  'servers' | 'app' | 'algorithm' | 'algorithmOptions' | 'health' | 'balancer' | 'faults' | 'weights' | 'usernames'
> & { readonly runtime?: UpOptions['runtime'] };

const PLACEHOLDER_PHASES = '\nphases: [{kind: closed, requests: 1, concurrency: 1}]\n';

/**
 * A lab file's text as a scenario with its lab block, checked by the scenario
 * schema: a scenario file as it is (its phases are not run), or a file that
 * holds only the lab's fields (servers, app, algorithm, weights...).
 */
export function parseLabFileText(text: string, source: string): LabFileSettings {
  let data: unknown;
  try {
    data = parse(text, { maxAliasCount: 100 });
  } catch {
    data = undefined; // parseScenarioText reports the syntax error with its line
  }
  const record = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  const isObject = record !== undefined;
  const hasLab = record !== undefined && 'lab' in record;
  const hasPhases = record !== undefined && 'phases' in record;
  let scenarioText: string;
  let lineShift = 0;
  if (hasLab || !isObject) {
    scenarioText = hasPhases ? text : `${text.replace(/\n?$/, '\n')}${PLACEHOLDER_PHASES}`;
  } else {
    scenarioText = `lab:\n${text.split('\n').map((line) => `  ${line}`).join('\n')}${PLACEHOLDER_PHASES}`;
    lineShift = 1;
  }
  try {
    const scenario = parseScenarioText(scenarioText, source);
    const lab = scenario.lab;
    return {
      servers: lab.servers,
      app: lab.app,
      algorithm: initialAlgorithm(scenario),
      ...(lab.algorithmOptions === undefined ? {} : { algorithmOptions: lab.algorithmOptions }),
      health: { ...DEFAULT_HEALTH, ...lab.health } as HealthCheckOptions,
      ...(lab.balancer === undefined ? {} : { balancer: lab.balancer as Partial<BalancerConfig> }),
      faults: Object.fromEntries(Object.entries(lab.faults ?? {}).map(([name, fault]) => [name, toFaultSpec(fault)])),
      ...(lab.weights === undefined ? {} : { weights: lab.weights }),
      ...(lab.usernames === undefined ? {} : { usernames: lab.usernames }),
      ...(lab.runtime === undefined ? {} : { runtime: lab.runtime }),
    };
  } catch (error) {
    if (lineShift === 0 || !(error instanceof LabError)) throw error;
    const escaped = source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const message = error.message
      .replace(new RegExp(`${escaped}:(\\d+):`, 'g'), (_m, line: string) => `${source}:${Math.max(1, Number(line) - lineShift)}:`)
      .replace(/: lab\./g, ': ');
    throw new LabError(error.code, message, { cause: error, exitCode: error.exitCode });
  }
}

/** Reads and checks a lab file (`lblab up -f lab.yaml`). */
export async function readLabFile(file: string): Promise<LabFileSettings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new LabError('LBLAB_BAD_INPUT', `-f ${file}: cannot read it (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message})`, { cause, exitCode: 2 });
  }
  return parseLabFileText(text, file);
}
