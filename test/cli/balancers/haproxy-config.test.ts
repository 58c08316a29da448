import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlgorithmName } from '../../../balancer/algorithms/algorithm.js';
import { haproxyConfig } from '../../../cli/balancers/haproxy-config.js';
import { settingsFixture } from './settings-fixture.js';

const lines = (config: string): string[] => config.split('\n').map((line) => line.trim());
const haproxyInstalled = spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status === 0;
const dir = mkdtempSync(path.join(tmpdir(), 'lblab-haproxy-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('haproxyConfig', () => {
  it.each<[AlgorithmName, string[]]>([
    ['round-robin', ['balance roundrobin']],
    ['least-connections', ['balance leastconn']],
    ['power-of-two', ['balance random(2)']],
    ['random', ['balance random']],
    ['consistent-hash', ['balance url_param id', 'hash-type consistent']],
    ['first-available', ['balance first']],
  ])('maps %s to %j', (algorithm, directives) => {
    const config = lines(haproxyConfig(settingsFixture({ algorithm })));
    for (const directive of directives) expect(config).toContain(directive);
  });

  it('hashes the configured key parameter', () => {
    expect(lines(haproxyConfig(settingsFixture({ algorithm: 'consistent-hash', hashKeyParam: 'user' })))).toContain('balance url_param user');
  });

  it('gives first-available servers maxconn of the capacity, and weights to weighted-round-robin', () => {
    const first = lines(haproxyConfig(settingsFixture({ algorithm: 'first-available', algorithmOptions: { capacity: 2 } })));
    expect(first).toContain('server server1 127.0.0.1:19001 check maxconn 2');
    const weighted = lines(haproxyConfig(settingsFixture({ algorithm: 'weighted-round-robin' })));
    expect(weighted).toContain('server server1 127.0.0.1:19001 check weight 1');
    expect(weighted).toContain('server server2 127.0.0.1:19002 check weight 3');
  });

  it('turns the health settings into check inter/fall/rise, and drops them when off', () => {
    const health = { enabled: true, path: '/health', intervalMs: 200, timeoutMs: 150, fall: 3, rise: 4 };
    const config = haproxyConfig(settingsFixture({ health }));
    expect(lines(config)).toContain('option httpchk GET /health');
    expect(lines(config)).toContain('timeout check 150ms');
    expect(config).toMatch(/default-server inter 200ms fastinter 100ms downinter 200ms fall 3 rise 4 on-marked-down shutdown-sessions/);
    const off = haproxyConfig(settingsFixture({ health: { ...health, enabled: false } }));
    expect(off).not.toMatch(/httpchk|\bcheck\b|inter /);
  });

  it('maps passive ejection to observe layer7, and retries to retries + redispatch', () => {
    const config = haproxyConfig(
      settingsFixture({ outlier: { enabled: true, consecutive5xx: 7, baseEjectionMs: 1, maxEjectionMs: 1, maxEjectionPercent: 50 }, retries: 2 }),
    );
    expect(config).toContain('observe layer7 error-limit 7 on-error mark-down');
    expect(lines(config)).toContain('retries 2');
    expect(lines(config)).toContain('option redispatch 1');
  });

  it('listens on the placement, blocks /_lab/ on the data port, and routes /server/<name>/ on the admin port', () => {
    const config = lines(haproxyConfig(settingsFixture()));
    expect(config).toContain('bind 127.0.0.1:18080');
    expect(config).toContain('bind 127.0.0.1:18081');
    expect(config).toContain('http-request deny deny_status 404 if { path_beg /_lab/ }');
    expect(config).toContain('use_backend lab-server2 if { path_beg /server/server2/ }');
    expect(config).toContain('stats socket /tmp/lblab-run/haproxy.sock mode 600 level admin expose-fd listeners');
  });

  it('resolves names at run time when a resolver is given (Docker)', () => {
    const config = haproxyConfig(settingsFixture({ placement: { listenHost: '0.0.0.0', port: 8080, adminPort: 8081, runDir: '/run/lblab', resolver: '127.0.0.11' } }));
    expect(lines(config)).toContain('nameserver dns 127.0.0.11:53');
    expect(config).toContain('resolvers lab init-addr last,libc,none');
  });

  it.runIf(haproxyInstalled).each<AlgorithmName>(['round-robin', 'weighted-round-robin', 'least-connections', 'power-of-two', 'random', 'consistent-hash', 'first-available'])(
    'gives a configuration haproxy -c accepts for %s',
    (algorithm) => {
      const file = path.join(dir, `${algorithm}.cfg`);
      writeFileSync(file, haproxyConfig(settingsFixture({ algorithm, retries: 2, placement: { listenHost: '127.0.0.1', port: 18080, adminPort: 18081, runDir: dir } })));
      expect(() => execFileSync('haproxy', ['-c', '-q', '-f', file], { stdio: 'pipe' })).not.toThrow();
    },
  );
});
