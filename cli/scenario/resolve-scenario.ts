import { stat } from 'node:fs/promises';
import path from 'node:path';
import { builtinScenarioDir, listBuiltinScenarios } from './builtins.js';
import { withFix } from '../errors.js';
import { scenarioFileError } from './scenario-error.js';

export interface ScenarioLocation {
  /** Absolute path of the file to read. */
  readonly file: string;
  /** How messages name the file: as the user gave it, or the built-in's path relative to the working folder. */
  readonly source: string;
  readonly builtin: boolean;
}

export interface ResolveScenarioOptions {
  readonly cwd?: string;
  readonly builtinDir?: string;
}

async function kindOf(file: string): Promise<'file' | 'directory' | 'other' | undefined> {
  return stat(file).then(
    (info) => (info.isFile() ? 'file' : info.isDirectory() ? 'directory' : 'other'),
    () => undefined,
  );
}

function looksLikePath(argument: string): boolean {
  return /[\\/]/.test(argument) || /\.ya?ml$/i.test(argument);
}

/**
 * What `lblab run <argument>` runs: a file when one exists at that path,
 * else the built-in of that name, else an error listing the built-ins.
 */
export async function resolveScenario(argument: string, options: ResolveScenarioOptions = {}): Promise<ScenarioLocation> {
  const cwd = options.cwd ?? process.cwd();
  const candidate = path.resolve(cwd, argument);
  const kind = await kindOf(candidate);
  if (kind === 'file') return { file: candidate, source: argument, builtin: false };
  if (kind !== undefined && looksLikePath(argument)) {
    throw scenarioFileError(`${argument} is ${kind === 'directory' ? 'a directory' : 'not a regular file'}; give a scenario YAML file or a built-in name`);
  }

  const builtins = await listBuiltinScenarios(options.builtinDir ?? builtinScenarioDir());
  const builtin = builtins.find((b) => b.name === argument || `${b.name}.yaml` === argument);
  if (builtin !== undefined) {
    const relative = path.relative(cwd, builtin.file);
    const source = relative.startsWith('..') || path.isAbsolute(relative) ? builtin.file : relative;
    return { file: builtin.file, source, builtin: true };
  }
  const names = builtins.length === 0 ? '(none found)' : builtins.map((b) => b.name).join(', ');
  const what = looksLikePath(argument)
    ? `scenario file ${argument} does not exist`
    : `unknown scenario "${argument}": no such file, and no built-in of that name`;
  if (kind === 'directory') throw scenarioFileError(withFix(`${argument} is a directory, and no built-in has that name; built-in scenarios: ${names}`, 'What each does', 'lblab scenarios'));
  throw scenarioFileError(withFix(`${what}; built-in scenarios: ${names}`, 'What each does', 'lblab scenarios'));
}
