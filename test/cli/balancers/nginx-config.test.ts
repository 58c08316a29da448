import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlgorithmName } from '../../../balancer/algorithms/algorithm.js';
import { nginxConfig } from '../../../cli/balancers/nginx-config.js';
import { settingsFixture } from './settings-fixture.js';

const lines = (config: string): string[] => config.split('\n').map((line) => line.trim());
const nginxInstalled = spawnSync('nginx', ['-v'], { stdio: 'ignore' }).status === 0;
const dir = mkdtempSync(path.join(tmpdir(), 'lblab-nginx-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const passive = { health: { enabled: false, path: '/health', intervalMs: 500, timeoutMs: 300, fall: 2, rise: 2 } };

describe('nginxConfig', () => {
  it.each<[AlgorithmName, string | undefined]>([
    ['round-robin', undefined],
    ['least-connections', 'least_conn;'],
    ['power-of-two', 'random two least_conn;'],
    ['random', 'random;'],
    ['consistent-hash', 'hash $arg_id consistent;'],
  ])('maps %s to %s', (algorithm, directive) => {
    const config = lines(nginxConfig(settingsFixture({ algorithm, ...passive })));
    const upstream = config.slice(config.indexOf('upstream servers {'), config.indexOf('keepalive 64;'));
    if (directive === undefined) expect(upstream.filter((line) => /least_conn|random|hash /.test(line))).toEqual([]);
    else expect(upstream).toContain(directive);
  });

  it('writes weights for weighted-round-robin and max_conns for first-available (closest)', () => {
    expect(nginxConfig(settingsFixture({ algorithm: 'weighted-round-robin', ...passive }))).toContain('server 127.0.0.1:19002 weight=3');
    expect(nginxConfig(settingsFixture({ algorithm: 'first-available', algorithmOptions: { capacity: 2 }, ...passive }))).toMatch(/max_conns=2;/);
  });

  it('uses passive checks: the health fall and interval x rise, else the ejection settings, else none', () => {
    const health = { enabled: true, path: '/health', intervalMs: 800, timeoutMs: 300, fall: 3, rise: 2 };
    expect(nginxConfig(settingsFixture({ health }))).toContain('max_fails=3 fail_timeout=2s');
    const outlier = { enabled: true, consecutive5xx: 5, baseEjectionMs: 4000, maxEjectionMs: 1, maxEjectionPercent: 50 };
    expect(nginxConfig(settingsFixture({ outlier, ...passive }))).toContain('max_fails=5 fail_timeout=4s');
    expect(nginxConfig(settingsFixture(passive))).toContain('max_fails=0');
  });

  it('maps retries to proxy_next_upstream_tries, listens on the placement and routes /server/<name>/', () => {
    const config = lines(nginxConfig(settingsFixture({ retries: 2, ...passive })));
    expect(config).toContain('proxy_next_upstream_tries 3;');
    expect(config).toContain('listen 127.0.0.1:18080;');
    expect(config).toContain('listen 127.0.0.1:18081;');
    expect(config).toContain('location /_lab/ { return 404; }');
    expect(config.some((line) => line.startsWith('location /server/server1/ { proxy_pass http://127.0.0.1:19001/;'))).toBe(true);
  });

  it.runIf(nginxInstalled).each<AlgorithmName>(['round-robin', 'weighted-round-robin', 'least-connections', 'power-of-two', 'random', 'consistent-hash'])(
    'gives a configuration nginx -t accepts for %s',
    (algorithm) => {
      const file = path.join(dir, `${algorithm}.conf`);
      const health = { enabled: true, path: '/health', intervalMs: 500, timeoutMs: 300, fall: 2, rise: 2 };
      writeFileSync(file, nginxConfig(settingsFixture({ algorithm, retries: 1, health, placement: { listenHost: '127.0.0.1', port: 18080, adminPort: 18081, runDir: dir } })));
      expect(() => execFileSync('nginx', ['-t', '-q', '-p', dir, '-e', 'stderr', '-c', file], { stdio: 'pipe' })).not.toThrow();
    },
  );
});
