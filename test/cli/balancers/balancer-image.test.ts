import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { ensureBalancerImage } from '../../../cli/runtime/docker/balancer-image.js';
import { createDockerRuntime } from '../../../cli/runtime/docker/docker-runtime.js';
import { LABEL } from '../../../cli/runtime/docker/labels.js';
import { describeDocker } from '../runtime/docker/engine-available.js';

const installed = spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status === 0;

describeDocker('the HAProxy image', () => {
  const client = createDockerRuntime().client;

  it.runIf(installed)('is made offline from the host package once, then reused by its content hash', async () => {
    const lines: string[] = [];
    // No official image names: the host-made image (made now, or earlier by another run).
    const options = { client, kind: 'haproxy' as const, log: (line: string) => lines.push(line), pullTimeoutMs: 1_000, officialImages: [] };
    const first = await ensureBalancerImage(options);
    expect(first.source).toBe('host');
    expect(first.ref).toMatch(/^lblab\/haproxy:[0-9a-f]{12}$/);
    expect(first.programPath).toBe('/usr/local/sbin/haproxy');
    const image = await client.inspectImage(first.ref);
    expect(image?.Config?.Labels?.[LABEL.image]).toBe('haproxy');
    expect(image?.Config?.Labels?.[LABEL.contentHash]?.startsWith(first.ref.split(':')[1] ?? '-')).toBe(true);
    lines.length = 0;
    const again = await ensureBalancerImage(options);
    expect(again).toEqual(first);
    expect(lines).toEqual([]);
  }, 120_000);
});
