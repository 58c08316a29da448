import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlgorithmName } from '../../../balancer/algorithms/algorithm.js';
import type { BalancerSettings } from '../../../cli/balancers/balancer-settings.js';
import { nginxConfig } from '../../../cli/balancers/nginx-config.js';
import { detectNginxStream, requireNginxStream, streamSupportFromBuild } from '../../../cli/balancers/nginx-stream-module.js';
import { resolveSettings } from '../../../cli/balancers/resolve-settings.js';
import { settingsFixture } from './settings-fixture.js';

const lines = (config: string): string[] => config.split('\n').map((line) => line.trim());
const nginxInstalled = spawnSync('nginx', ['-v'], { stdio: 'ignore' }).status === 0;
const dir = mkdtempSync(path.join(tmpdir(), 'lblab-nginx-tcp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tcp = (overrides: Partial<BalancerSettings> = {}): BalancerSettings =>
  settingsFixture({ mode: 'tcp', health: { ...settingsFixture().health, enabled: false }, ...overrides });

/** The `stream { ... }` block's lines. */
function streamBlock(config: string): string[] {
  const all = lines(config);
  const start = all.indexOf('stream {');
  expect(start, 'a stream block').toBeGreaterThanOrEqual(0);
  return all.slice(start);
}

describe('nginxConfig in tcp mode', () => {
  it.each<[AlgorithmName, string | undefined]>([
    ['round-robin', undefined],
    ['weighted-round-robin', undefined],
    ['least-connections', 'least_conn;'],
    ['power-of-two', 'random two least_conn;'],
    ['random', 'random;'],
    ['consistent-hash', 'hash $remote_addr consistent;'],
  ])('maps %s to %s in the stream upstream', (algorithm, directive) => {
    const stream = streamBlock(nginxConfig(tcp({ algorithm })));
    const upstream = stream.slice(stream.indexOf('upstream servers {'), stream.indexOf('}'));
    if (directive === undefined) expect(upstream.filter((line) => /^(least_conn|random|hash)/.test(line))).toEqual([]);
    else expect(upstream).toContain(directive);
  });

  it('relays connections from the data port in stream, keeps the admin port in http, and has no http data server', () => {
    const config = nginxConfig(tcp({ connectTimeoutMs: 750, retries: 2 }));
    const stream = streamBlock(config);
    expect(stream).toContain('listen 127.0.0.1:18080;');
    expect(stream).toContain('proxy_pass servers;');
    expect(stream).toContain('proxy_connect_timeout 750ms;');
    expect(stream).toContain('proxy_next_upstream_tries 3;');
    expect(stream).toContain('server 127.0.0.1:19002 weight=3 max_fails=0;  # server2');
    expect(stream.join('\n')).not.toMatch(/keepalive|proxy_http_version/);
    const http = lines(config).slice(0, lines(config).indexOf('stream {'));
    expect(http).toContain('listen 127.0.0.1:18081;');
    expect(http).not.toContain('listen 127.0.0.1:18080;');
    expect(http).not.toContain('upstream servers {');
  });

  it('loads the stream module first when it is a module file', () => {
    const config = lines(nginxConfig(tcp({ nginxStreamModule: '/usr/lib/nginx/modules/ngx_stream_module.so' })));
    expect(config[1]).toBe('load_module /usr/lib/nginx/modules/ngx_stream_module.so;');
    expect(lines(nginxConfig(tcp())).some((line) => line.startsWith('load_module'))).toBe(false);
  });

  it.each<[AlgorithmName, RegExp]>([
    ['first-available', /nginx cannot run algorithm first-available in tcp mode: it lacks a "first available" balance.*It offers least-connections/],
    ['maglev', /nginx cannot run algorithm maglev in tcp mode: it lacks Maglev hashing\. It offers consistent-hash \(hash \$remote_addr consistent\)/],
  ])('refuses %s, saying what nginx lacks and offers', (algorithm, message) => {
    expect(() => resolveSettings('nginx', tcp({ algorithm }))).toThrow(message);
  });
});

describe("nginx's stream module", () => {
  const exists = (present: readonly string[]) => async (file: string) => present.includes(file);

  it('is built in with --with-stream', async () => {
    expect(await streamSupportFromBuild('nginx version: nginx/1.25\nconfigure arguments: --prefix=/etc/nginx --with-stream --with-stream_ssl_module', exists([]))).toEqual({ kind: 'static' });
  });

  it('is a module file under --modules-path with --with-stream=dynamic, or absent when the file is missing', async () => {
    const build = 'configure arguments: --prefix=/usr/share/nginx --modules-path=/usr/lib/nginx/modules --with-stream=dynamic --with-stream_ssl_module';
    const file = '/usr/lib/nginx/modules/ngx_stream_module.so';
    expect(await streamSupportFromBuild(build, exists([file]))).toEqual({ kind: 'dynamic', modulePath: file });
    expect(await streamSupportFromBuild(build, exists([]))).toEqual({ kind: 'absent', reason: `it was built with --with-stream=dynamic, but the module file ${file} is not installed` });
  });

  it('is absent from a build without it', async () => {
    expect(await streamSupportFromBuild('configure arguments: --with-http_ssl_module --with-stream_ssl_module', exists([]))).toMatchObject({ kind: 'absent' });
  });

  it.runIf(nginxInstalled)('is read from the installed nginx; when absent, tcp mode is refused naming the package that adds it', async () => {
    const support = await detectNginxStream('nginx');
    if (support.kind === 'absent') {
      await expect(requireNginxStream('nginx')).rejects.toMatchObject({
        code: 'LBLAB_NOT_READY',
        message: expect.stringMatching(/installed nginx \(nginx\) lacks it: .*apt-get install libnginx-mod-stream/) as unknown,
      });
      return;
    }
    const module = await requireNginxStream('nginx');
    for (const algorithm of ['round-robin', 'least-connections', 'power-of-two', 'random', 'consistent-hash'] as const) {
      const file = path.join(dir, `${algorithm}.conf`);
      const settings = tcp({ algorithm, retries: 1, placement: { listenHost: '127.0.0.1', port: 18080, adminPort: 18081, runDir: dir } });
      writeFileSync(file, nginxConfig(module === undefined ? settings : { ...settings, nginxStreamModule: module }));
      expect(() => execFileSync('nginx', ['-t', '-q', '-p', dir, '-e', 'stderr', '-c', file], { stdio: 'pipe' })).not.toThrow();
    }
  });
});
