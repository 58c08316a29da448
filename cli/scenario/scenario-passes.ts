// Passes of a run that each need a lab of their own: another balancer mode,
// another connection policy for the load (scenario `passes`, e.g. l4-vs-l7).
import type { BalancerMode } from '../../balancer/config/config.js';
import type { ConnectionPolicy } from '../load/load-options.js';
import type { Scenario } from './schema.js';

export interface LabPass {
  readonly name: string;
  readonly mode: BalancerMode;
  /** Replaces the phases' own connection policy when set. */
  readonly connection?: ConnectionPolicy;
}

/** The scenario's passes with the lab's mode filled in; undefined when it has none. */
export function labPasses(scenario: Scenario): LabPass[] | undefined {
  const labMode: BalancerMode = scenario.lab.balancer?.mode === 'tcp' ? 'tcp' : 'http';
  return scenario.passes?.map((pass) => ({
    name: pass.name,
    mode: pass.mode ?? labMode,
    ...(pass.connection === undefined ? {} : { connection: pass.connection }),
  }));
}

/** The scenario as one pass runs it: its lab in the pass's mode, its phases (and warm-up) with the pass's connection policy. */
export function passScenario(scenario: Scenario, pass: LabPass): Scenario {
  const withConnection = <T extends { connection?: ConnectionPolicy | undefined }>(phase: T): T =>
    pass.connection === undefined ? phase : { ...phase, connection: pass.connection };
  return {
    ...scenario,
    lab: { ...scenario.lab, balancer: { ...scenario.lab.balancer, mode: pass.mode } },
    phases: scenario.phases.map(withConnection),
    ...(scenario.warmup === undefined ? {} : { warmup: withConnection(scenario.warmup) }),
  };
}

/** `2-tcp-keep-alive` for the folder of pass 2 named "tcp keep-alive". */
export function passFolderName(index: number, label: string): string {
  const slug = label.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '');
  return `${index + 1}-${slug === '' ? 'pass' : slug}`;
}
