import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { LabError } from '../errors.js';
import { issueMessages } from './issue-message.js';
import { scenarioSchema, type Scenario } from './schema.js';
import { lineOfPath } from './yaml-lines.js';

/** Exit code of a scenario that cannot be used (bad file, unknown name). */
export const SCENARIO_ERROR_EXIT_CODE = 2;

interface Problem {
  readonly line: number;
  readonly text: string;
}

function scenarioError(source: string, problems: readonly Problem[]): LabError {
  const unique = [...new Map(problems.map((p) => [`${p.line}\0${p.text}`, p])).values()].sort((a, b) => a.line - b.line);
  const lines = unique.map((p) => `${source}:${p.line}: ${p.text}`);
  const message = lines.length === 1 ? (lines[0] ?? '') : `${source} has ${lines.length} problems:\n${lines.join('\n')}`;
  return new LabError('LBLAB_SCENARIO', message, { exitCode: SCENARIO_ERROR_EXIT_CODE });
}

/**
 * Parses and validates a scenario's YAML text. `source` is the file as the
 * user named it, for messages. Throws one LabError (LBLAB_SCENARIO, exit code
 * 2) listing every problem as `<source>:<line>: <message>`.
 */
export function parseScenarioText(text: string, source: string): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw scenarioError(
      source,
      doc.errors.map((error) => ({
        line: error.linePos?.[0].line ?? 1,
        text: `YAML syntax error: ${(error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
    );
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) {
    throw scenarioError(source, [{ line: 1, text: 'the file is empty; a scenario needs at least phases' }]);
  }
  const parsed = scenarioSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) =>
      issueMessages(issue, data).map((message) => ({ line: lineOfPath(doc, lineCounter, message.path), text: message.text })),
    );
    throw scenarioError(source, problems);
  }
  const name = parsed.data.name ?? path.basename(source).replace(/\.ya?ml$/i, '');
  return { ...parsed.data, name, source };
}

/** Reads and validates a scenario file; `source` is how the user named it. */
export async function loadScenarioFile(file: string, source: string = file): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new LabError('LBLAB_SCENARIO', `cannot read the scenario file ${source}: ${code}`, { cause: error, exitCode: SCENARIO_ERROR_EXIT_CODE });
  }
  return parseScenarioText(text, source);
}
