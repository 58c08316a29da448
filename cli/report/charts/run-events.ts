import type { RunSummary } from '../run-summary.js';
import type { EventLine } from './event-lines-plugin.js';
import { ACTION_COLOUR, HEALTH_COLOUR } from './palette.js';

export const ACTION_DASH: readonly number[] = [];
export const HEALTH_DASH: readonly number[] = [6, 4];
export const ACTION_LEGEND = 'action (kill, revive, add, …)';
export const HEALTH_LEGEND = 'health change (balancer)';

/** The run's actions ("kill server2") and health changes ("server2 down") as event lines on an x axis in seconds. */
export function runEventLines(summary: RunSummary): EventLine[] {
  return [
    ...summary.actions.map((action) => ({
      xValue: action.atMs / 1000,
      label: `${action.action} ${action.target}`,
      colour: ACTION_COLOUR,
      dash: ACTION_DASH,
    })),
    ...summary.healthChanges.map((change) => ({
      xValue: change.atMs / 1000,
      label: `${change.server} ${change.health}`,
      colour: HEALTH_COLOUR,
      dash: HEALTH_DASH,
    })),
  ];
}

/** Empty line datasets that only put the two kinds of event lines in the legend. */
export function eventLegendDatasets(summary: RunSummary): { label: string; data: never[]; borderColor: string; backgroundColor: string; borderDash: number[]; borderWidth: number; pointRadius: number }[] {
  const datasets = [];
  if (summary.actions.length > 0) {
    datasets.push({ label: ACTION_LEGEND, data: [], borderColor: ACTION_COLOUR, backgroundColor: ACTION_COLOUR, borderDash: [...ACTION_DASH], borderWidth: 2, pointRadius: 0 });
  }
  if (summary.healthChanges.length > 0) {
    datasets.push({ label: HEALTH_LEGEND, data: [], borderColor: HEALTH_COLOUR, backgroundColor: HEALTH_COLOUR, borderDash: [...HEALTH_DASH], borderWidth: 2, pointRadius: 0 });
  }
  return datasets;
}
