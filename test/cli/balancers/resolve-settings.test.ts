import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../../../cli/balancers/resolve-settings.js';
import { supportedAlgorithms } from '../../../cli/balancers/algorithm-mapping.js';
import { settingsFixture } from './settings-fixture.js';

const noHealth = { health: { enabled: false, path: '/health', intervalMs: 500, timeoutMs: 300, fall: 2, rise: 2 } };

describe('resolveSettings', () => {
  it('refuses what a kind lacks, naming what it offers instead', () => {
    expect(() => resolveSettings('haproxy', settingsFixture({ algorithm: 'least-response-time' }))).toThrow(
      'haproxy cannot run algorithm least-response-time: it lacks a least-response-time balance. It offers least-connections (balance leastconn)',
    );
    expect(() => resolveSettings('nginx', settingsFixture({ algorithm: 'maglev', ...noHealth }))).toThrow(/nginx cannot run algorithm maglev: it lacks Maglev hashing. It offers consistent-hash \(hash \$arg_id consistent\)/);
    expect(() => resolveSettings('nginx', settingsFixture())).toThrow(/nginx \(open source\) cannot run active health checks.*passive checks on real traffic \(max_fails=2 fail_timeout=1s\)/);
  });

  it('uses the closest equivalent with --closest, and says so', () => {
    const result = resolveSettings('nginx', settingsFixture({ algorithm: 'first-available', closest: true }));
    expect(result.settings.algorithm).toBe('least-connections');
    expect(result.notes).toEqual([
      'nginx lacks a "first available" balance and a queue for busy servers (nginx Plus has `queue`); running least-connections (least_conn + server max_conns=1) in place of first-available',
      'nginx has no active health checks; using passive ones in their place (max_fails=2 fail_timeout=1s)',
    ]);
  });

  it('passes supported settings through unchanged', () => {
    for (const algorithm of supportedAlgorithms('haproxy')) {
      const settings = settingsFixture({ algorithm });
      expect(resolveSettings('haproxy', settings)).toEqual({ settings, notes: [] });
    }
    expect(supportedAlgorithms('nginx')).not.toContain('first-available');
  });
});
