import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortPair } from '../helpers/free-ports.js';
import { labProcesses } from '../helpers/lab-processes.js';
import { LBLAB_BIN, eventually, runLblab } from '../helpers/run-lblab.js';

const execFileAsync = promisify(execFile);
const tmuxAvailable = await execFileAsync('tmux', ['-V']).then(
  () => true,
  () => false,
);
if (!tmuxAvailable) console.warn('\n!! DASHBOARD TMUX TEST SKIPPED: tmux is not installed (apt-get install tmux)\n');

const tmux = (...args: string[]) => execFileAsync('tmux', args);

/** The real `lblab dashboard` in an 80×24 tmux pane beside a running lab, read back from the screen. */
describe.skipIf(!tmuxAvailable)('lblab dashboard in an 80x24 terminal', () => {
  const lab = `dash${process.pid}`;
  const session = `lblab-test-${process.pid}`;
  let home: string;
  let env: Record<string, string>;

  const screen = async (): Promise<string> => (await tmux('capture-pane', '-p', '-t', session)).stdout;
  const rowOf = (text: string, server: string): string => text.split('\n').find((line) => line.includes(` ${server} `)) ?? '';

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lblab-dash-'));
    env = { LBLAB_HOME: home };
    const port = await freePortPair();
    const up = await runLblab(['up', '--runtime', 'process', '--port', String(port), '--lab', lab, '--health-interval', '200ms'], env);
    expect(up.code, up.stderr).toBe(0);
    const command = `env -u CI LBLAB_HOME=${home} ${process.execPath} ${LBLAB_BIN} dashboard --lab ${lab}`;
    await tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', command);
    await tmux('set-option', '-t', session, 'remain-on-exit', 'on');
  }, 60_000);

  afterAll(async () => {
    await tmux('kill-session', '-t', session).catch(() => undefined);
    await runLblab(['down', '--lab', lab], env);
    expect(await labProcesses(lab)).toEqual([]);
    await rm(home, { recursive: true, force: true });
  }, 60_000);

  it('shows every server up, then server2 going down after a kill and back after a revive, and quits on q', async () => {
    await eventually(async () => /server3 +running +up/.test(await screen()), 'the dashboard to show server3 running and up', 15_000);
    const first = await screen();
    expect(first).toContain(`lab ${lab}`);
    expect(first).toContain('round-robin');
    expect(first.split('\n').every((line) => line.length <= 80)).toBe(true);

    expect((await runLblab(['kill', 'server2', '--lab', lab], env)).code).toBe(0);
    await eventually(async () => /stopped +down/.test(rowOf(await screen(), 'server2')), 'server2 stopped and down on screen', 5_000);
    expect(await screen()).toMatch(/server2 up -> down/);

    expect((await runLblab(['revive', 'server2', '--lab', lab], env)).code).toBe(0);
    await eventually(async () => /running +up/.test(rowOf(await screen(), 'server2')), 'server2 running and up on screen', 5_000);
    expect(await screen()).toMatch(/server2 down -> up/);

    await tmux('send-keys', '-t', session, 'q');
    await eventually(async () => (await tmux('list-panes', '-t', session, '-F', '#{pane_dead}')).stdout.trim() === '1', 'the dashboard to exit on q', 5_000);
  });
});
