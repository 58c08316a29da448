// Every scenario value is checked before anything starts: exit 2, file:line (issue 12).
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenarioText } from '../../../cli/scenario/load-scenario.js';
import { resolveScenario } from '../../../cli/scenario/resolve-scenario.js';

const SOURCE = 'x.yaml';
const PHASE = 'phases: [{kind: closed, requests: 10, concurrency: 1}]';

function refusal(text: string): { code: string; exitCode: number; message: string } {
  try {
    parseScenarioText(text, SOURCE);
  } catch (error) {
    return error as { code: string; exitCode: number; message: string };
  }
  throw new Error('expected the scenario to be refused');
}

describe('scenario files are checked before anything starts', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lblab-validate-'));
    await mkdir(path.join(dir, 'folder.yaml'));
    await mkdir(path.join(dir, 'plain'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a directory says it is a directory', async () => {
    await expect(resolveScenario('folder.yaml', { cwd: dir, builtinDir: dir })).rejects.toMatchObject({
      code: 'LBLAB_SCENARIO',
      exitCode: 2,
      message: 'folder.yaml is a directory; give a scenario YAML file or a built-in name',
    });
    await expect(resolveScenario('plain', { cwd: dir, builtinDir: dir })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/^plain is a directory, and no built-in has that name/),
    });
    await expect(loadScenarioFile(path.join(dir, 'plain'), 'plain')).rejects.toMatchObject({
      exitCode: 2,
      message: 'plain is a directory; give a scenario YAML file',
    });
  });

  it('an alias bomb is refused with file:line', () => {
    const text = [
      'name: bomb',
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      PHASE,
    ].join('\n');
    expect(refusal(text)).toMatchObject({
      code: 'LBLAB_SCENARIO',
      exitCode: 2,
      message: 'x.yaml:3: the YAML expands its aliases (*name) more than 100 times; refused (an alias bomb?)',
    });
  });

  it.each([
    ['phases: [{kind: closed, requests: 1, concurrency: 1, path: "/a\\r\\nHost: evil"}]', 'x.yaml:1: phases[0].path must be a path starting with "/", without spaces or control characters, got "/a\\r\\nHost: evil"'],
    ['phases: [{kind: closed, requests: 1, concurrency: 1, headers: {x-a: "1\\r\\nX-Injected: 1"}}]', 'x.yaml:1: phases[0].headers.x-a must be a header value without CR, LF or other control characters, got "1\\r\\nX-Injected: 1"'],
    ['phases: [{kind: closed, requests: 1, concurrency: 1, headers: {"bad name": "1"}}]', 'x.yaml:1: phases[0].headers has the key "bad name", which must be an HTTP header name'],
    ['lab: {health: {path: "/he alth"}}\n' + PHASE, 'x.yaml:1: lab.health.path must be a path starting with "/", without spaces or control characters, got "/he alth"'],
  ])('CR/LF and spaces in paths and headers: %s', (text, message) => {
    expect(refusal(text)).toMatchObject({ code: 'LBLAB_SCENARIO', exitCode: 2, message: expect.stringContaining(message) });
  });

  it.each([
    ['lab:\n  balancer:\n    retries: {count: 11}\n' + PHASE, 'x.yaml:3: lab.balancer.retries.count must be an integer from 0 to 10, got 11'],
    ['lab:\n  balancer:\n    retries: {baseMs: 100, capMs: 10}\n' + PHASE, 'x.yaml:3: lab.balancer.retries.capMs must be at least lab.balancer.retries.baseMs (100), got 10'],
    ['lab:\n  balancer:\n    retry: {count: 1}\n' + PHASE, 'x.yaml:3: lab.balancer.retry is not a known field; known fields: host, port'],
    ['lab:\n  balancer:\n    fanout: {routes: ["POST register"]}\n' + PHASE, 'x.yaml:3: lab.balancer.fanout.routes[0].path must be a path starting with "/"'],
    ['lab:\n  balancer:\n    upstreamTimeoutMs: 0\n' + PHASE, 'x.yaml:3: lab.balancer.upstreamTimeoutMs must be an integer from 1 to 600000, got 0'],
    ['lab:\n  algorithm: maglev\n  algorithmOptions: {tableSize: 100}\n' + PHASE, 'x.yaml:3: lab.algorithmOptions.tableSize must be an integer from 257 to 65537, got 100'],
    ['lab:\n  balancer:\n    port: 1\n' + PHASE, 'x.yaml:3: lab.balancer.port is set by lblab, not in lab.balancer'],
  ])('bad lab.balancer values: %s', (text, message) => {
    expect(refusal(text)).toMatchObject({ code: 'LBLAB_SCENARIO', exitCode: 2, message: expect.stringContaining(message) });
  });

  it('good lab.balancer values pass', () => {
    const scenario = parseScenarioText(`lab:\n  balancer:\n    retries: {count: 1, baseMs: 10}\n    outlier: {enabled: false}\n${PHASE}\n`, SOURCE);
    expect(scenario.lab.balancer).toEqual({ retries: { count: 1, baseMs: 10 }, outlier: { enabled: false } });
  });
});
