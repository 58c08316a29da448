import { Box, Text } from 'ink';
import type { DashboardState } from './dashboard-state.js';
import { EventLog } from './event-log.js';
import { wrapWords } from './format.js';
import { Header } from './header.js';
import { KeyHelp } from './key-help.js';
import { RunProgressLine } from './run-progress.js';
import { ServerTable } from './server-table.js';

export interface DashboardViewProps {
  readonly state: DashboardState;
  /** Terminal columns. */
  readonly width: number;
  /** Terminal rows; the view uses at most height - 1 of them. */
  readonly height: number;
  /** Index of the selected server; -1 for none. */
  readonly selected: number;
  /** Whether the kill/revive/algorithm keys work. */
  readonly actions: boolean;
  /** Shows the key help line (default true). */
  readonly keys?: boolean;
}

export interface ScreenBudget {
  readonly spacer: number;
  readonly serverRows: number;
  readonly eventLines: number;
}

const MIN_EVENT_LINES = 3;

/**
 * Splits the rows of the terminal: header (2, 3 when the balancer is lost),
 * run progress (1 during a run), table header + servers + caption, events
 * rule + events, key help (1). Servers come first; the events get all the rest.
 * Keeps one row free, so Ink never redraws the whole screen.
 */
/** The saturation warning wrapped to the width; none when the balancer is not saturated. */
export function saturationLines(state: DashboardState, width: number): string[] {
  return state.saturation === undefined ? [] : state.saturation.split('\n').flatMap((line) => wrapWords(line, width));
}

export function screenBudget(state: DashboardState, height: number, keys = true, width = 80): ScreenBudget {
  // Header, lost line, saturation warning, progress, table header, table caption (the columns' windows), events rule, keys.
  const fixed = 2 + (state.connection?.status === 'lost' ? 1 : 0) + saturationLines(state, width).length + (state.run?.progress === undefined ? 0 : 1) + 1 + 1 + 1 + (keys ? 1 : 0);
  const available = Math.max(0, height - 1 - fixed);
  const wanted = Math.max(1, state.servers.length);
  const spacer = available - wanted - MIN_EVENT_LINES >= 1 ? 1 : 0;
  const serverRows = Math.min(wanted, Math.max(3, available - spacer - MIN_EVENT_LINES));
  // The event log takes every row the servers leave.
  const eventLines = Math.max(1, available - spacer - serverRows);
  return { spacer, serverRows, eventLines };
}

/** What window each column of the server table counts over. */
export function columnWindows(state: DashboardState): string {
  if (state.run !== undefined) return 'REQS, ERR: since the run started · SHARE, REQ/S, P50/P99: last second';
  return "REQS, ERR: since the balancer started · SHARE, REQ/S: last second · latency: the balancer's own";
}

/** The whole live screen, a pure function of its props. */
export function DashboardView({ state, width, height, selected, actions, keys = true }: DashboardViewProps) {
  const budget = screenBudget(state, height, keys, width);
  return (
    <Box flexDirection="column" width={width}>
      <Header state={state} width={width} />
      {saturationLines(state, width).map((line, index) => (
        <Text key={index} color="yellow" wrap="truncate-end">
          {line}
        </Text>
      ))}
      {state.run?.progress === undefined ? null : <RunProgressLine progress={state.run.progress} width={width} />}
      {budget.spacer > 0 ? <Text> </Text> : null}
      <ServerTable
        servers={state.servers}
        width={width}
        selected={selected}
        maxRows={budget.serverRows}
        stale={state.connection?.status === 'lost'}
        connections={state.mode === 'tcp'}
        caption={columnWindows(state)}
      />
      <EventLog events={state.events} width={width} maxLines={budget.eventLines} />
      {keys ? <KeyHelp width={width} actions={actions} /> : null}
    </Box>
  );
}
