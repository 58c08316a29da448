import { formatProgressLine } from '../load/progress-line.js';
import type { ScenarioPhaseInfo } from '../scenario/run-events.js';
import type { ScenarioRun } from '../scenario/run-scenario.js';

function at(ms: number): string {
  return `${(ms / 1000).toFixed(1).padStart(5)}s`;
}

function passPrefix(info: ScenarioPhaseInfo): string {
  return info.passCount > 1 ? `[${info.algorithm}] ` : '';
}

/**
 * Prints a run's progress as plain lines: the lab, each phase, a progress
 * line per second, each action and each health change as it happens.
 */
export function printPlainProgress(run: ScenarioRun, write: (line: string) => void): void {
  run.on('log', (line) => write(line));
  run.on('warning', (line) => write(`warning: ${line}`));
  run.on('phase', (info) => {
    write(`${passPrefix(info)}phase ${info.phaseIndex + 1}/${info.phaseCount} ${info.name}: ${info.description}`);
  });
  run.on('tick', (tick, info) => write(`${passPrefix(info)}${formatProgressLine(tick)}`));
  run.on('action', (action) => write(`${at(action.atMs)}  action ${action.action} ${action.target}`));
  run.on('action-done', (action) => {
    if (action.error !== undefined) write(`${at(action.atMs)}  action ${action.action} ${action.target} failed: ${action.error}`);
  });
  run.on('health', (change) => write(`${at(change.atMs)}  balancer: ${change.server} is ${change.health}`));
}
