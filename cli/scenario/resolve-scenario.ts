import { stat } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from '../errors.js';
import { builtinScenarioDir, listBuiltinScenarios } from './builtins.js';
import { SCENARIO_ERROR_EXIT_CODE } from './load-scenario.js';

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

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (info) => info.isFile(),
    () => false,
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
  if (await isFile(candidate)) return { file: candidate, source: argument, builtin: false };

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
  throw new LabError('LBLAB_SCENARIO', `${what}; built-in scenarios: ${names}`, { exitCode: SCENARIO_ERROR_EXIT_CODE });
}
