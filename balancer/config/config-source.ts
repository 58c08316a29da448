import { readFileSync } from 'node:fs';

export const CONFIG_ENV = 'LBLAB_BALANCER_CONFIG';

export const USAGE = `usage: node balancer.js [--config <file.json>]
  --config <file>   balancer config (JSON), merged over the defaults
  env ${CONFIG_ENV}  the config as a JSON string (used when --config is not given)
  --help            this text`;

export class ConfigSourceError extends Error {
  readonly code = 'LBLAB_CONFIG_SOURCE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigSourceError';
  }
}

export interface ConfigSource {
  /** The parsed JSON, not yet validated; {} when no config was given. */
  readonly input: unknown;
  /** `--config balancer.json`, `env LBLAB_BALANCER_CONFIG`, or `defaults`. */
  readonly from: string;
  readonly help: boolean;
}

export type ReadText = (path: string) => string;

/** Where the config comes from: `--config <file>` (or `--config=<file>`) first, then the env variable, else defaults. */
export function loadConfigSource(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  readText: ReadText = (path) => readFileSync(path, 'utf8'),
): ConfigSource {
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { input: {}, from: 'defaults', help: true };
    if (arg === '--config') {
      file = argv[i + 1];
      if (file === undefined || file.startsWith('--')) throw new ConfigSourceError(`--config needs a file name, got ${file === undefined ? 'nothing' : `"${file}"`}`);
      i++;
    } else if (arg.startsWith('--config=')) {
      file = arg.slice('--config='.length);
      if (file === '') throw new ConfigSourceError('--config needs a file name, got ""');
    } else {
      throw new ConfigSourceError(`unknown argument "${arg}"\n${USAGE}`);
    }
  }
  if (file !== undefined) {
    let text: string;
    try {
      text = readText(file);
    } catch (error) {
      throw new ConfigSourceError(`cannot read config file ${file}: ${(error as Error).message}`, { cause: error });
    }
    return { input: parseJson(text, `config file ${file}`), from: `--config ${file}`, help: false };
  }
  const fromEnv = env[CONFIG_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return { input: parseJson(fromEnv, `env ${CONFIG_ENV}`), from: `env ${CONFIG_ENV}`, help: false };
  }
  return { input: {}, from: 'defaults', help: false };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigSourceError(`${what} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
