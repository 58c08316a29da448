/** Where 'beforeExit' comes from: `process`, or a stand-in in tests. */
export interface BeforeExitSource {
  on(event: 'beforeExit', listener: () => void): unknown;
  off(event: 'beforeExit', listener: () => void): unknown;
}

/** Exit code of an internal error (sysexits' EX_SOFTWARE), not Node's silent 13. */
export const UNSETTLED_EXIT_CODE = 70;

export const UNSETTLED_MESSAGE =
  'lblab: internal error: the command stopped with an operation still pending and nothing left to wait for ' +
  '(e.g. a Docker engine connection that closed mid-answer). What it started may still run: see `lblab status`, ' +
  'remove it with `lblab down`. Please report this, with the output of the same command run with DEBUG=1.';

/**
 * Calls onEmpty when Node's event loop empties while `pending` has not
 * settled. Without this, a top-level `await` on such a promise ends the
 * process with exit code 13 and no output at all. Returns the uninstaller.
 */
export function guardUnsettled(pending: Promise<unknown>, onEmpty: () => void, source: BeforeExitSource = process): () => void {
  let settled = false;
  const listener = (): void => {
    if (!settled) onEmpty();
  };
  const uninstall = (): void => {
    settled = true;
    source.off('beforeExit', listener);
  };
  source.on('beforeExit', listener);
  pending.then(uninstall, uninstall);
  return uninstall;
}
