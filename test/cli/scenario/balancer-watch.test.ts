import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BalancerStats } from '../../../balancer/api-types.js';
import { sustainedSaturation } from '../../../cli/load/sustained-saturation.js';
import { runLoad } from '../../../cli/load/run-load.js';
import type { MemberState } from '../../../cli/runtime/runtime.js';
import { BalancerWatch, type BalancerDeath } from '../../../cli/scenario/balancer-watch.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'slow-balancer.js');
const children: ChildProcess[] = [];

async function startSlowBalancer(busyMs: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [FIXTURE], { env: { ...process.env, BUSY_MS: String(busyMs) }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, url: `http://127.0.0.1:${chunk.toString().trim()}` };
}

function watchOf(
  url: string,
  state: () => MemberState,
  onDied: (death: BalancerDeath) => void = () => undefined,
  silentAfterMs?: number,
): BalancerWatch {
  const startedAt = performance.now();
  const watch = new BalancerWatch({
    adminUrl: url,
    stats: async () => (await (await fetch(`${url}/stats`, { signal: AbortSignal.timeout(5_000) })).json()) as BalancerStats,
    memberState: async () => ({ state: state() }),
    elapsedMs: () => performance.now() - startedAt,
    onDied,
    statsIntervalMs: 200,
    ...(silentAfterMs === undefined ? {} : { silentAfterMs }),
  });
  watch.start();
  return watch;
}

afterEach(() => {
  for (const child of children.splice(0)) {
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  }
});

describe('BalancerWatch', () => {
  it('reports the balancer saturated under a closed-model run with high concurrency against a slow event loop', async () => {
    const { url } = await startSlowBalancer(20);
    // A saturated balancer may leave /health unanswered for seconds on a loaded machine: that must not count as its death here.
    const watch = watchOf(url, () => 'running', undefined, 60_000);
    const result = await runLoad({ url, path: '/home', model: { kind: 'closed', requests: 200, concurrency: 16 } }).result;
    await vi.waitFor(() => expect(watch.saturation.length).toBeGreaterThan(2), { timeout: 5_000 });
    watch.stop();
    expect(result.errors).toBe(0);
    const windows = watch.saturation.map((s) => s.stats);
    expect(sustainedSaturation(windows)?.saturated, JSON.stringify(windows)).toBe(true);
    expect(watch.death).toBeUndefined();
  }, 30_000);

  it('reports nothing for a gentle run', async () => {
    const { url } = await startSlowBalancer(0);
    const watch = watchOf(url, () => 'running');
    const result = await runLoad({ url, path: '/home', model: { kind: 'closed', requests: 30, concurrency: 1 } }).result;
    await vi.waitFor(() => expect(watch.saturation.length).toBeGreaterThan(1), { timeout: 5_000 });
    watch.stop();
    expect(result.errors).toBe(0);
    expect(sustainedSaturation(watch.saturation.map((s) => s.stats))?.saturated).toBe(false);
  }, 30_000);

  it('says the balancer exited when its member is stopped', async () => {
    const { child, url } = await startSlowBalancer(0);
    let state: MemberState = 'running';
    const deaths: BalancerDeath[] = [];
    const watch = watchOf(url, () => state, (death) => deaths.push(death));
    await vi.waitFor(() => expect(watch.statsAnswered).toBe(true), { timeout: 10_000 });
    child.kill('SIGKILL');
    state = 'stopped';
    await vi.waitFor(() => expect(deaths).toHaveLength(1), { timeout: 10_000 });
    expect(deaths[0]?.reason).toBe('the balancer exited');
    watch.stop();
  });

  it('says the admin API stopped answering when the process still exists but is silent', async () => {
    const { child, url } = await startSlowBalancer(0);
    const deaths: BalancerDeath[] = [];
    const watch = watchOf(url, () => 'paused', (death) => deaths.push(death));
    await vi.waitFor(() => expect(watch.statsAnswered).toBe(true), { timeout: 10_000 });
    child.kill('SIGSTOP');
    await vi.waitFor(() => expect(deaths).toHaveLength(1), { timeout: 5_000 });
    expect(deaths[0]?.reason).toBe('its admin API stopped answering: no answer within 500 ms; it is paused');
    watch.stop();
  });
});
