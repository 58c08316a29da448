// Lab lifecycle on Docker: `up` cold (no lblab images) and cached, `kill` until
// the balancer marks the server down, `revive` until a request is served by
// it, `down`. A unique lab and LBLAB_HOME; `down` always runs.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { dockerAnswers, forceRemoveLab, leftoversOf, removeLblabImages } from '../lib/docker-images.mjs';
import { freePortPair } from '../lib/free-port.mjs';
import { expectSuccess, lblabCli } from '../lib/lblab-cli.mjs';
import { median, round } from '../lib/stats.mjs';
import { runCommand } from '../lib/run-command.mjs';
import { getOnce } from '../lib/wait-for-http.mjs';

const VICTIM = 'server2';
const POLL_INTERVAL_MS = 10;
const WAIT_LIMIT_MS = 15_000;
const HEALTH = { intervalMs: 500, fall: 2 };

/** @param {{ settings, distDir, log }} context */
export async function runLifecycleSection({ settings, distDir, log }) {
  const engine = await dockerAnswers();
  if (!engine.ok) return { skipped: `no Docker engine answers (${engine.reason}); start one with bash .ci/start-docker.sh` };
  const notes = [];
  const lab = `bench${process.pid}`;
  const home = await mkdtemp(path.join(os.tmpdir(), 'lblab-bench-home-'));
  const cli = lblabCli({ distDir, lab, home, cwd: home });
  const cycles = [];
  try {
    for (let i = 0; i < settings.lifecycleCold + settings.lifecycleCached; i++) {
      let cold = i < settings.lifecycleCold;
      if (cold) {
        const removal = await removeLblabImages();
        if ('skipped' in removal) {
          notes.push(`cold up: skipped, ${removal.skipped}`);
          cold = false;
        }
      }
      const cycle = await runCycle(cli, lab, home, cold);
      cycles.push(cycle);
      log(`  ${cold ? 'cold  ' : 'cached'} up ${ms(cycle.upMs)}, kill detected ${ms(cycle.killDetectedMs)} after the container died, revive served ${ms(cycle.reviveServedMs)}, down ${ms(cycle.downMs)}`);
    }
  } finally {
    await cli(['down'], 60_000);
    const left = await leftoversOf(lab);
    if (left.length > 0) {
      notes.push(`lblab down left ${left.join(', ')}; removed them by label`);
      await forceRemoveLab(lab);
    }
    await rm(home, { recursive: true, force: true });
  }
  const pick = (field, filter = () => true) => {
    const values = cycles.filter(filter).map((cycle) => cycle[field]);
    const value = median(values);
    return value === undefined ? undefined : { medianMs: Math.round(value), runs: values.map(Math.round) };
  };
  return {
    engine: `Docker ${engine.version}`,
    lab: `3 greeting servers, round-robin, health every ${HEALTH.intervalMs} ms, fall ${HEALTH.fall}, rise 2`,
    upColdMs: pick('upMs', (cycle) => cycle.cold),
    upCachedMs: pick('upMs', (cycle) => !cycle.cold),
    upCachedReportedMs: pick('upReportedMs', (cycle) => !cycle.cold),
    killCommandMs: pick('killCommandMs'),
    killDetectedMs: pick('killDetectedMs'),
    killDetectTargetMs: HEALTH.fall * HEALTH.intervalMs + 200,
    reviveServedMs: pick('reviveServedMs'),
    reviveStartedToServedMs: pick('reviveStartedToServedMs'),
    reviveCommandMs: pick('reviveCommandMs'),
    downMs: pick('downMs'),
    notes,
  };
}

async function runCycle(cli, lab, home, cold) {
  const port = await freePortPair();
  const dataUrl = `http://127.0.0.1:${port}`;
  const adminUrl = `http://127.0.0.1:${port + 1}`;
  const up = expectSuccess(await cli(['up', '--runtime', 'docker', '--servers', '3', '--app', 'greeting', '--port', String(port)], 180_000), 'up');
  let downDone = false;
  try {
    // The admin API wants the lab's token (kept in its state folder); without it /stats answers 401.
    const headers = { authorization: `Bearer ${(await readFile(path.join(home, lab, 'token'), 'utf8')).trim()}` };
    // Poll from the moment `kill` starts: the balancer may notice before the command returns.
    const killStart = performance.now();
    const markedDown = pollUntil(async () => {
      const answer = await getOnce(`${adminUrl}/stats`, 1000, headers);
      if (answer.status === 401 || answer.status === 403) throw Object.assign(new Error(`GET ${adminUrl}/stats answered ${answer.status}: ${answer.body}`), { fatal: true });
      if (answer.status !== 200) return false;
      const server = JSON.parse(answer.body).servers.find((s) => s.name === VICTIM);
      return server !== undefined && server.health !== 'up';
    }, `the balancer to mark ${VICTIM} down`).then(() => Date.now());
    const killResult = await cli(['kill', VICTIM], 30_000);
    const killCommandMs = performance.now() - killStart;
    expectSuccess(killResult, `kill ${VICTIM}`);
    const downAtMs = await markedDown;
    const diedAtMs = await containerTime(lab, VICTIM, 'FinishedAt');

    const reviveStartMs = Date.now();
    const served = pollUntil(async () => {
      const answer = await getOnce(`${dataUrl}/home`, 1000);
      return answer.headers?.['x-server-id'] === VICTIM;
    }, `a request served by ${VICTIM}`).then(() => Date.now());
    const revive = cli(['revive', VICTIM], 30_000);
    const [servedAtMs, reviveResult] = await Promise.all([served, revive]);
    expectSuccess(reviveResult, `revive ${VICTIM}`);
    const startedAtMs = await containerTime(lab, VICTIM, 'StartedAt');

    const down = expectSuccess(await cli(['down'], 60_000), 'down');
    downDone = true;
    return {
      cold,
      upMs: up.wallMs,
      upReportedMs: Number(/is up in ([\d.]+) s/.exec(up.stdout)?.[1]) * 1000,
      killCommandMs,
      killDetectedMs: downAtMs - diedAtMs,
      reviveServedMs: servedAtMs - reviveStartMs,
      reviveStartedToServedMs: servedAtMs - startedAtMs,
      reviveCommandMs: reviveResult.wallMs,
      downMs: down.wallMs,
    };
  } finally {
    if (!downDone) await cli(['down'], 60_000);
  }
}

/** A container's State.StartedAt or State.FinishedAt (the engine's own clock, on this machine), in epoch ms. */
async function containerTime(lab, member, field) {
  const result = await runCommand('docker', ['inspect', '--format', `{{.State.${field}}}`, `${lab}-${member}`], { timeoutMs: 10_000 });
  const atMs = Date.parse(result.stdout.trim());
  if (result.code !== 0 || !Number.isFinite(atMs)) throw new Error(`docker inspect ${lab}-${member} gave no ${field}: ${(result.stderr || result.stdout).trim()}`);
  return atMs;
}

/** Polls `check` every POLL_INTERVAL_MS until it returns true; resolves with performance.now() then. Bounded; an error marked `fatal` ends it at once. */
async function pollUntil(check, what) {
  const deadline = performance.now() + WAIT_LIMIT_MS;
  while (performance.now() < deadline) {
    const passed = await check().catch((error) => {
      if (error.fatal === true) throw error;
      return false;
    });
    if (passed) return performance.now();
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new Error(`timed out after ${WAIT_LIMIT_MS} ms waiting for ${what}`);
}

function ms(value) {
  return `${round(value, 0)} ms`;
}
