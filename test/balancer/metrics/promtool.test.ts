import { spawnSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { send, sendJson } from '../fixtures/http-client.js';
import { serversOf, testBalancer, upstreams, useCleanup } from '../fixtures/test-balancer.js';

useCleanup();

const PROMTOOL = process.env.PROMTOOL ?? 'promtool';
const available = spawnSync(PROMTOOL, ['--version'], { encoding: 'utf8' }).status === 0;
if (!available) {
  console.warn(
    `\n*** SKIPPED: promtool not found (tried "${PROMTOOL}"). /metrics is NOT checked with \`promtool check metrics\`. ` +
      `Install it (Debian/Ubuntu: apt-get install prometheus) or set PROMTOOL=/path/to/promtool. ***\n`,
  );
}

describe('GET /metrics', () => {
  it.skipIf(!available)('passes `promtool check metrics` with every lblab metric present', async () => {
    const servers = await upstreams(3);
    servers[0]!.behavior = { status: 503 };
    const balancer = await testBalancer({
      servers: serversOf(servers),
      health: { enabled: false },
      outlier: { consecutive5xx: 1 },
      fanout: { deadlineMs: 50, baseMs: 1, capMs: 2 },
    });
    // A retry (and server1 ejected), then a retry refused by an empty budget, then a fan-out.
    await send(`${balancer.url}/home`);
    await sendJson(`${balancer.adminUrl}/retries`, 'PUT', { minRetryConcurrency: 0, budgetPercent: 0 });
    servers[1]!.behavior = { status: 503 };
    for (let i = 0; i < 2; i++) await send(`${balancer.url}/home`);
    await send(`${balancer.url}/register?username=x`, { method: 'POST' });
    expect(balancer.stats().resilience).toMatchObject({ retries: 1, retryBudgetRefusals: 1, ejections: 1, fanoutSuccesses: 1 });

    const text = (await send(`${balancer.adminUrl}/metrics`)).text;
    for (const name of [
      'lblab_requests_total',
      'lblab_request_duration_seconds_bucket',
      'lblab_in_flight_requests',
      'lblab_server_up',
      'lblab_server_ejected',
      'lblab_health_changes_total',
      'lblab_retries_total',
      'lblab_retries_active',
      'lblab_retry_budget_refusals_total',
      'lblab_fanout_requests_total',
      'lblab_fanout_rounds_bucket',
      'lblab_fanout_attempts_total',
      'lblab_fanout_backoff_seconds_bucket',
      'lblab_ejections_total',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
    ]) {
      expect(text, name).toMatch(new RegExp(`^${name}[{ ]`, 'm'));
    }

    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`.trim()).toBe('');
    expect(check.status).toBe(0);
  });
});
