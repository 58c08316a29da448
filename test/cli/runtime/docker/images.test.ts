import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDockerRuntime, type LabImages } from '../../../../cli/runtime/docker/docker-runtime.js';
import type { DockerClient } from '../../../../cli/runtime/docker/docker-client.js';
import { LABEL } from '../../../../cli/runtime/docker/labels.js';
import type { LabRuntimeInfo } from '../../../../cli/runtime/runtime.js';
import { describeDocker } from './engine-available.js';
import { downAndExpectGone, uniqueLab } from './lab-guard.js';
import { testBundles, type TestBundles } from './test-bundles.js';

/** Removes every lblab image nothing uses, so the next prepare starts cold. */
async function removeLblabImages(client: DockerClient): Promise<number> {
  const images = await client.listImages({ label: [`${LABEL.role}=image`] });
  let left = 0;
  // App images first: the base cannot go while images are built on it.
  for (const kind of ['server', 'balancer', 'base']) {
    for (const image of images.filter((candidate) => candidate.Labels?.[LABEL.image] === kind)) {
      // Without force: images of a lab running on this engine stay.
      await client.removeImage(image.Id, { force: false }).catch(() => {
        left += 1;
      });
    }
  }
  return left;
}

describeDocker('docker runtime images', { timeout: 180_000 }, () => {
  const lab = uniqueLab();
  const info: LabRuntimeInfo = { lab, port: 0, adminPort: 0 };
  let bundles: TestBundles;
  let cold: { images: LabImages; ms: number; lines: string[]; left: number };
  const first = () => createDockerRuntime({ bundles });

  beforeAll(async () => {
    bundles = await testBundles();
    const runtime = first();
    const left = await removeLblabImages(runtime.client);
    const lines: string[] = [];
    const startedAt = performance.now();
    await runtime.prepare(info, { log: (line) => lines.push(line) });
    cold = { images: await runtime.ensureImages(), ms: performance.now() - startedAt, lines, left };
    console.info(`cold prepare: ${cold.ms.toFixed(0)} ms (${left} lblab images could not be removed first)\n  ${lines.join('\n  ')}`);
  }, 180_000);

  afterAll(async () => {
    await downAndExpectGone(first(), first().client, lab);
  });

  it('makes the base image from this host and says so in one line', (context) => {
    if (cold.left > 0) context.skip('lblab images in use by a running lab could not be removed, so nothing was cold');
    const base = cold.lines.filter((line) => line.includes('base image'));
    if (cold.images.base.source === 'host') {
      expect(base).toEqual([`no registry answered; made base image ${cold.images.base.ref} from this host's node ${process.version}`]);
      expect(cold.images.base.ref).toMatch(/^lblab\/node-base:[0-9a-f]{12}$/);
    }
    expect(cold.images.server.built && cold.images.balancer.built).toBe(true);
  });

  it('reuses every image on the next prepare, from a new runtime', async () => {
    const runtime = first();
    const lines: string[] = [];
    const startedAt = performance.now();
    await runtime.prepare(info, { log: (line) => lines.push(line) });
    const ms = performance.now() - startedAt;
    console.info(`cached prepare: ${ms.toFixed(0)} ms (cold was ${cold.ms.toFixed(0)} ms; a new CLI process adds ~0.3 s to hash the node binary)`);
    const images = await runtime.ensureImages();
    expect(lines).toEqual([]);
    expect(images.base.id).toBe(cold.images.base.id);
    expect(images.server).toEqual({ ...cold.images.server, built: false });
    expect(images.balancer).toEqual({ ...cold.images.balancer, built: false });
  });

  it('labels images and runs them as a non-root user', async () => {
    const client = first().client;
    const base = await client.inspectImage(cold.images.base.ref);
    if (cold.images.base.source === 'host') expect(base?.Config?.Labels).toMatchObject({ [LABEL.role]: 'image', [LABEL.image]: 'base' });
    for (const kind of ['server', 'balancer'] as const) {
      const image = await client.inspectImage(cold.images[kind].ref);
      expect(image?.Config?.Labels).toMatchObject({ [LABEL.role]: 'image', [LABEL.image]: kind });
      expect((image?.Config as { User?: string } | null)?.User).toBe('10001:10001');
    }
  });

  it('rebuild forces a new build of the app images, keeping the base', async () => {
    const runtime = first();
    const lines: string[] = [];
    await runtime.prepare(info, { rebuild: true, log: (line) => lines.push(line) });
    const images = await runtime.ensureImages();
    expect(images.base.id).toBe(cold.images.base.id);
    expect(images.server.ref).toBe(cold.images.server.ref);
    expect(images.server.id).not.toBe(cold.images.server.id);
    expect(images.balancer.id).not.toBe(cold.images.balancer.id);
    expect(lines.filter((line) => line.startsWith('built image'))).toHaveLength(2);
    // The replaced images are gone (nothing used them).
    expect(await runtime.client.inspectImage(cold.images.server.id)).toBeUndefined();
  });
});
