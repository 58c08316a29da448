/** Where a command writes; the bin passes the process streams, tests may pass their own. */
export interface CommandIo {
  /** Results: stdout, always (status, stats, a run's results folder). */
  readonly out: (text: string) => void;
  /** Errors and warnings: stderr, always. */
  readonly err: (text: string) => void;
}

/**
 * What the verbs write through. The two extra channels are what `--quiet`
 * turns off, so the flag is honoured here and nowhere else.
 */
export interface CliIo extends CommandIo {
  /** Confirmations a script does not need (`lab x is up ...`, `server2 killed`): stdout, nothing under --quiet. */
  readonly note: (text: string) => void;
  /** Progress and information: stderr; under --quiet only lines that are warnings (`warning: ...`). */
  readonly info: (text: string) => void;
  readonly quiet: () => boolean;
}

export const processIo: CommandIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** A warning stays under --quiet: it says something about the result. */
const isWarning = (text: string): boolean => /^warning\b/i.test(text);

/** `base` with the quiet channels; `quiet` is read at each write (the flag is parsed after the program is built). */
export function cliIo(base: CommandIo, quiet: () => boolean): CliIo {
  return {
    out: base.out,
    err: base.err,
    note: (text) => {
      if (!quiet()) base.out(text);
    },
    info: (text) => {
      if (!quiet() || isWarning(text)) base.err(text);
    },
    quiet,
  };
}
