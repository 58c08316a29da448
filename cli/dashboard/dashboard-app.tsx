import { Static, Text, useApp, useInput, useStdin } from 'ink';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { nextAlgorithm, type DashboardActions } from './dashboard-actions.js';
import type { DashboardSource, FinishedPhase } from './dashboard-state.js';
import { DashboardView } from './dashboard-view.js';
import { formatCount, formatSpan } from './format.js';
import { Summary } from './summary.js';
import { useTerminalSize, type TerminalSize } from './use-terminal-size.js';

export interface DashboardAppProps {
  readonly source: DashboardSource;
  /** Without actions, k, r and a do nothing (a run without a lab). */
  readonly actions?: DashboardActions;
  /** Called when the user quits (q or Ctrl-C), before the app exits. */
  readonly onQuit?: () => void;
  /** Overrides the terminal's size (tests). */
  readonly size?: TerminalSize;
}

/** Index of the server called `name`, else the first row (-1 when there are none). */
function selectedIndex(names: readonly string[], name: string | undefined): number {
  const found = name === undefined ? -1 : names.indexOf(name);
  return found >= 0 ? found : names.length > 0 ? 0 : -1;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function PhaseLine({ phase }: { readonly phase: FinishedPhase }) {
  return (
    <Text>
      <Text color="green">✔ </Text>
      {`phase ${phase.index + 1} ${phase.name}  ${formatSpan(phase.durationMs)}  ${formatCount(phase.requests)} req  ${formatCount(phase.errors)} err`}
    </Text>
  );
}

/**
 * The live dashboard: reads snapshots from `source`, handles the keys, and
 * ends with the run's <Summary/> once the source has one. Finished phases
 * print once above the live view (<Static>).
 */
export function DashboardApp({ source, actions, onQuit, size }: DashboardAppProps) {
  const state = useSyncExternalStore(source.subscribe, source.snapshot, source.snapshot);
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const terminal = useTerminalSize();
  const { columns, rows } = size ?? terminal;
  const [selectedName, setSelectedName] = useState<string | undefined>(undefined);
  const names = state.servers.map((server) => server.name);
  const selected = selectedIndex(names, selectedName);
  // Keys can arrive faster than renders: the handler reads the latest values from here.
  const latest = useRef({ names, selectedName, algorithm: state.algorithm });
  latest.current = { names, selectedName, algorithm: state.algorithm };
  const summary = state.run?.summary;

  useEffect(() => {
    if (summary !== undefined) exit();
  }, [summary, exit]);

  const act = (label: string, action: () => Promise<string | undefined>): void => {
    source.note(label, 'action');
    action().then(
      (outcome) => {
        if (outcome !== undefined) source.note(outcome, 'action');
        source.refresh?.();
      },
      (error: unknown) => source.note(`${label} failed`, 'bad', errorText(error)),
    );
  };

  useInput(
    (input, key) => {
      if (input === 'q' || (key.ctrl && input === 'c')) {
        onQuit?.();
        exit();
        return;
      }
      const { names: serverNames, algorithm } = latest.current;
      const at = selectedIndex(serverNames, latest.current.selectedName);
      if (key.upArrow || key.downArrow) {
        const next = serverNames[Math.min(serverNames.length - 1, Math.max(0, at + (key.upArrow ? -1 : 1)))];
        latest.current.selectedName = next;
        setSelectedName(next);
        return;
      }
      const server = serverNames[at];
      if (actions === undefined) return;
      if (input === 'k' && server !== undefined) act(`kill ${server}`, () => actions.kill(server));
      if (input === 'r' && server !== undefined) act(`revive ${server}`, () => actions.revive(server));
      if (input === 'a') {
        const next = nextAlgorithm(algorithm);
        act(`algorithm ${algorithm} -> ${next}`, async () => {
          await actions.setAlgorithm(next);
          return undefined;
        });
      }
    },
    { isActive: isRawModeSupported && summary === undefined },
  );

  const phases = state.run?.finishedPhases ?? [];
  return (
    <>
      <Static items={[...phases]}>{(phase) => <PhaseLine key={phase.index} phase={phase} />}</Static>
      {summary !== undefined && state.run !== undefined ? (
        <Summary scenario={state.run.scenario} summary={summary} resultsDir={state.run.resultsDir} width={columns} />
      ) : (
        <DashboardView state={state} width={columns} height={rows} selected={selected} actions={actions !== undefined} />
      )}
    </>
  );
}
