import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isAlias, parseDocument, visit, type Document } from 'yaml';
import { issueMessages } from './issue-message.js';
import { scenarioSchema, type Scenario } from './schema.js';
import { lineOfPath } from './yaml-lines.js';

import { scenarioFileError } from './scenario-error.js';

export { SCENARIO_ERROR_EXIT_CODE } from './scenario-error.js';

/** Aliases a scenario may expand in all: far more than a hand-written file uses, far fewer than an alias bomb needs. */
export const MAX_ALIAS_COUNT = 100;

interface Problem {
  readonly line: number;
  readonly text: string;
}

function scenarioError(source: string, problems: readonly Problem[]) {
  const unique = [...new Map(problems.map((p) => [`${p.line}\0${p.text}`, p])).values()].sort((a, b) => a.line - b.line);
  // One problem per line: a quoted key or value may hold line breaks, which are shown escaped.
  const lines = unique.map((p) => `${source}:${p.line}: ${p.text.replaceAll('\r', '\\r').replaceAll('\n', '\\n')}`);
  const message = lines.length === 1 ? (lines[0] ?? '') : `${source} has ${lines.length} problems:\n${lines.join('\n')}`;
  return scenarioFileError(message);
}

/** The line of the first alias (`*name`) in the document, where an expansion that went too far starts. */
function firstAliasLine(doc: Document, lineCounter: LineCounter): number {
  let line: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.range !== undefined && node.range !== null) line = lineCounter.linePos(node.range[0]).line;
      return visit.BREAK;
    },
  });
  return line ?? 1;
}

/** The document as plain data; an alias bomb (or any other failure to build it) is a problem with a line. */
function toData(doc: Document, lineCounter: LineCounter, source: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const aliases = /alias/i.test((error as Error).message);
    throw scenarioError(source, [
      {
        line: firstAliasLine(doc, lineCounter),
        text: aliases
          ? `the YAML expands its aliases (*name) more than ${MAX_ALIAS_COUNT} times; refused (an alias bomb?)`
          : `the YAML cannot be read as data: ${(error as Error).message}`,
      },
    ]);
  }
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
  const data = toData(doc, lineCounter, source);
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
    if (code === 'EISDIR') throw scenarioFileError(`${source} is a directory; give a scenario YAML file`, error);
    throw scenarioFileError(`cannot read the scenario file ${source}: ${code}`, error);
  }
  return parseScenarioText(text, source);
}
