import type { Command } from 'commander';
import { parseName } from './option-parsers.js';

/** The --lab option every command shares (a global option of the program). */
export function labOf(command: Command): string {
  const { lab } = command.optsWithGlobals<{ lab?: string }>();
  return parseName('--lab', lab ?? 'lblab');
}
