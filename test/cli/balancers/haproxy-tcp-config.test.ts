import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlgorithmName } from '../../../balancer/algorithms/algorithm.js';
import type { BalancerSettings } from '../../../cli/balancers/balancer-settings.js';
import { haproxyConfig } from '../../../cli/balancers/haproxy-config.js';
import { resolveSettings } from '../../../cli/balancers/resolve-settings.js';
import { settingsFromConfig } from '../../../cli/balancers/settings-from-config.js';
import { DEFAULT_CONFIG } from '../../../balancer/config/config.js';
import { settingsFixture } from './settings-fixture.js';

const lines = (config: string): string[] => config.split('\n').map((line) => line.trim());
const haproxyInstalled = spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status === 0;
const dir = mkdtempSync(path.join(tmpdir(), 'lblab-haproxy-tcp-'));
// As the control leaves it before a reload; haproxy -c warns when it is missing.
writeFileSync(path.join(dir, 'server-state'), '1\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tcp = (overrides: Partial<BalancerSettings> = {}): BalancerSettings => settingsFixture({ mode: 'tcp', ...overrides });

/** The lines of one section (`frontend data`, `backend servers`), up to the next blank line. */
function section(config: string, header: string): string[] {
  const all = lines(config);
  const start = all.indexOf(header);
  expect(start, `section ${header}`).toBeGreaterThanOrEqual(0);
  const end = all.indexOf('', start);
  return all.slice(start + 1, end);
}

/** The `defaults` section in force for a proxy: the last one before it. */
function defaultsOf(config: string, header: string): string[] {
  const all = lines(config);
  const start = all.lastIndexOf('defaults', all.indexOf(header));
  return all.slice(start + 1, all.indexOf('', start));
}

describe('haproxyConfig in tcp mode', () => {
  it.each<[AlgorithmName, string[]]>([
    ['round-robin', ['balance roundrobin']],
    ['weighted-round-robin', ['balance roundrobin']],
    ['least-connections', ['balance leastconn']],
    ['power-of-two', ['balance random(2)']],
    ['random', ['balance random']],
    ['consistent-hash', ['balance source', 'hash-type consistent']],
    ['first-available', ['balance first']],
  ])('maps %s to %j', (algorithm, directives) => {
    const backend = section(haproxyConfig(tcp({ algorithm })), 'backend servers');
    for (const directive of directives) expect(backend).toContain(directive);
    expect(backend.join('\n')).not.toMatch(/url_param/);
  });

  it('relays connections: the data proxies are mode tcp, with the lab connect timeout, and no http rules', () => {
    const config = haproxyConfig(tcp({ connectTimeoutMs: 750 }));
    expect(defaultsOf(config, 'frontend data')).toContain('mode tcp');
    expect(defaultsOf(config, 'frontend data')).toContain('timeout connect 750ms');
    expect(defaultsOf(config, 'backend servers')).toContain('mode tcp');
    expect(section(config, 'frontend data')).toEqual(['bind 127.0.0.1:18080', 'no log', 'default_backend servers']);
    // The admin port stays http: /health, /stats and the servers' routes.
    expect(defaultsOf(config, 'frontend admin')).toContain('mode http');
    expect(section(config, 'frontend admin')).toContain('stats uri /stats');
    expect(defaultsOf(config, 'backend lab-server1')).toContain('mode http');
  });

  it('checks by connect by default, by GET /health with check http, and shuts the sessions of a server marked down', () => {
    const connect = section(haproxyConfig(tcp()), 'backend servers');
    expect(connect.join('\n')).not.toMatch(/httpchk/);
    expect(connect).toContain('server server1 127.0.0.1:19001 check');
    expect(connect.find((line) => line.startsWith('default-server'))).toMatch(/on-marked-down shutdown-sessions/);
    const http = section(haproxyConfig(tcp({ health: { ...settingsFixture().health, check: 'http' } })), 'backend servers');
    expect(http).toContain('option httpchk GET /health');
    expect(http).toContain('server server1 127.0.0.1:19001 check');
  });

  it('gives first-available servers maxconn 1 by default, weights to weighted-round-robin', () => {
    expect(section(haproxyConfig(tcp({ algorithm: 'first-available' })), 'backend servers')).toContain('server server1 127.0.0.1:19001 check maxconn 1');
    const weighted = section(haproxyConfig(tcp({ algorithm: 'weighted-round-robin' })), 'backend servers');
    expect(weighted).toContain('server server2 127.0.0.1:19002 check weight 3');
  });

  it('retries only failed connects, and observes layer 4 for passive ejection', () => {
    const config = haproxyConfig(tcp({ retries: 2, outlier: { enabled: true, consecutive5xx: 4, baseEjectionMs: 1, maxEjectionMs: 1, maxEjectionPercent: 50 } }));
    const defaults = defaultsOf(config, 'frontend data');
    expect(defaults).toContain('retries 2');
    expect(defaults).toContain('option redispatch 1');
    expect(defaults.join('\n')).not.toMatch(/retry-on/);
    expect(config).toContain('observe layer4 error-limit 4 on-error mark-down');
  });

  it('takes the mode and the connect timeout from the lab configuration', () => {
    const placement = { listenHost: '127.0.0.1', port: 1, adminPort: 2, runDir: '/tmp/x' };
    const settings = settingsFromConfig({ ...DEFAULT_CONFIG, mode: 'tcp', connectTimeoutMs: 321, servers: [{ name: 'server1', url: 'http://127.0.0.1:9' }] }, placement, false);
    expect(settings).toMatchObject({ mode: 'tcp', connectTimeoutMs: 321 });
    expect(defaultsOf(haproxyConfig(settings), 'frontend data')).toContain('timeout connect 321ms');
    expect(settingsFromConfig({ ...DEFAULT_CONFIG, servers: [] }, placement, false).mode).toBeUndefined();
  });

  it.each<[AlgorithmName, RegExp]>([
    ['maglev', /haproxy cannot run algorithm maglev in tcp mode: it lacks Maglev hashing\. It offers consistent-hash \(balance source \+ hash-type consistent\)/],
    ['least-response-time', /haproxy cannot run algorithm least-response-time in tcp mode: it lacks a response time per request.*It offers least-connections \(balance leastconn\)/],
  ])('refuses %s, saying what HAProxy lacks and offers', (algorithm, message) => {
    expect(() => resolveSettings('haproxy', tcp({ algorithm }))).toThrow(message);
  });

  it('runs the closest with --closest in tcp mode', () => {
    const resolved = resolveSettings('haproxy', tcp({ algorithm: 'maglev', closest: true }));
    expect(resolved.settings.algorithm).toBe('consistent-hash');
    expect(resolved.notes[0]).toMatch(/haproxy in tcp mode lacks Maglev hashing; running consistent-hash/);
  });

  it.runIf(haproxyInstalled).each<[AlgorithmName, 'http' | 'tcp']>([
    ['round-robin', 'tcp'],
    ['weighted-round-robin', 'tcp'],
    ['least-connections', 'http'],
    ['power-of-two', 'tcp'],
    ['random', 'tcp'],
    ['consistent-hash', 'tcp'],
    ['first-available', 'http'],
  ])('gives a configuration haproxy -c accepts without warnings for %s (%s check)', (algorithm, check) => {
    const file = path.join(dir, `${algorithm}.cfg`);
    const settings = tcp({
      algorithm,
      retries: 2,
      health: { ...settingsFixture().health, check },
      outlier: { enabled: true, consecutive5xx: 3, baseEjectionMs: 1, maxEjectionMs: 1, maxEjectionPercent: 50 },
      placement: { listenHost: '127.0.0.1', port: 18080, adminPort: 18081, runDir: dir },
    });
    writeFileSync(file, haproxyConfig(settings));
    const result = spawnSync('haproxy', ['-c', '-f', file], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(/WARNING/);
    expect(() => execFileSync('haproxy', ['-c', '-q', '-f', file], { stdio: 'pipe' })).not.toThrow();
  });
});
