// A scenario end to end: `lblab run distribution-10k` wall time, charts
// included, on the process runtime and on Docker when an engine answers (also
// with --quick); with LBLAB_TIMING=1, so each run also says where its time went.
// Skipped with a note while the run command does not exist yet.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { dockerAnswers } from '../lib/docker-images.mjs';
import { lblabCli } from '../lib/lblab-cli.mjs';

const SCENARIO = 'distribution-10k';

/** @param {{ settings, distDir, log }} context */
export async function runScenarioSection({ settings, distDir, log }) {
  const home = await mkdtemp(path.join(os.tmpdir(), 'lblab-bench-run-'));
  const lab = `benchrun${process.pid}`;
  const cli = lblabCli({ distDir, lab, home, cwd: home, env: { LBLAB_TIMING: '1' } });
  try {
    const help = await cli(['run', '--help'], 15_000);
    if (help.code !== 0 || !/Usage: lblab run/.test(help.stdout)) {
      return { skipped: '`lblab run` is not available yet in dist/lblab.js (the scenario runner is being written); rerun after `npm run build`' };
    }
    const runtimes = ['process'];
    if (settings.scenarioDocker && (await dockerAnswers()).ok) runtimes.push('docker');
    const results = {};
    for (const runtime of runtimes) {
      const out = path.join(home, `out-${runtime}`);
      const args = ['run', SCENARIO, '--runtime', runtime];
      if (/--out\b/.test(help.stdout)) args.push('--out', out);
      const result = await cli(args, 120_000);
      await cli(['down'], 60_000);
      const charts = await countFiles(args.includes('--out') ? out : home, '.png');
      const stepsMs = stepTimes(result.stderr);
      results[runtime] = {
        wallMs: Math.round(result.wallMs),
        exitCode: result.code,
        charts,
        stepsMs,
        ...(result.code === 0 ? {} : { error: (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ') }),
      };
      log(`  ${SCENARIO} --runtime ${runtime}: ${Math.round(result.wallMs)} ms, exit ${result.code}, ${charts} charts; ${Object.entries(stepsMs).map(([step, ms]) => `${step} ${ms}`).join(', ')}`);
    }
    return { scenario: SCENARIO, runs: results };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** `timing run: <step> <ms> ms (at …)` lines (LBLAB_TIMING=1) as { step: ms }; the steps of `up` inside it are left out. */
function stepTimes(stderr) {
  const steps = {};
  for (const match of stderr.matchAll(/^timing run: (.+?) (\d+) ms \(at /gm)) steps[match[1]] = Number(match[2]);
  return steps;
}

/** Files ending in `suffix` under `dir` (recursive, bounded depth 4). */
async function countFiles(dir, suffix, depth = 0) {
  if (depth > 4) return 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let count = 0;
  for (const entry of entries) {
    if (entry.isDirectory()) count += await countFiles(path.join(dir, entry.name), suffix, depth + 1);
    else if (entry.name.endsWith(suffix)) count += 1;
  }
  return count;
}
