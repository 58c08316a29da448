import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDockerRuntime, type LabImages } from '../../../../cli/runtime/docker/docker-runtime.js';
import type { DockerClient } from '../../../../cli/runtime/docker/docker-client.js';
import { LABEL } from '../../../../cli/runtime/docker/labels.js';
import type { LabRuntimeInfo } from '../../../../cli/runtime/runtime.js';
import { describeDocker } from './engine-available.js';
import { downAndExpectGone, uniqueLab } from './lab-guard.js';
import { testBundles, type TestBundles } from './test-bundles.js';

/**
 * Removes the images of this test's own repository, and only those: other labs'
 * (and other test runs') lblab/* images on a shared engine are left alone.
 */
async function removeTestImages(client: DockerClient, repository: string): Promise<void> {
  const images = await client.listImages({ label: [`${LABEL.repository}=${repository}`] });
  // App images first: the base cannot go while images are built on it.
  for (const kind of ['server', 'balancer', 'base']) {
    for (const image of images.filter((candidate) => candidate.Labels?.[LABEL.image] === kind)) {
      // By tag, not id: an image that also carries another repository's tag keeps it.
      for (const tag of (image.RepoTags ?? []).filter((candidate) => candidate.startsWith(`${repository}/`))) {
        await client.removeImage(tag, { force: false });
      }
    }
  }
  expect(await client.listImages({ label: [`${LABEL.repository}=${repository}`] })).toEqual([]);
}

describeDocker('docker runtime images', { timeout: 180_000 }, () => {
  const lab = uniqueLab();
  // A repository of this run's own: its cold build is really cold, and nobody else's images are touched.
  const imageRepository = `lblab-test-${lab}`;
  const otherRepository = `${imageRepository}-other`;
  const info: LabRuntimeInfo = { lab, port: 0, adminPort: 0 };
  let bundles: TestBundles;
  let cold: { images: LabImages; ms: number; lines: string[] };
  const first = () => createDockerRuntime({ bundles, imageRepository });

  beforeAll(async () => {
    bundles = await testBundles();
    const runtime = first();
    const lines: string[] = [];
    const startedAt = performance.now();
    await runtime.prepare(info, { log: (line) => lines.push(line) });
    cold = { images: await runtime.ensureImages(), ms: performance.now() - startedAt, lines };
    console.info(`cold prepare: ${cold.ms.toFixed(0)} ms\n  ${lines.join('\n  ')}`);
  }, 180_000);

  afterAll(async () => {
    const runtime = first();
    await downAndExpectGone(runtime, runtime.client, lab);
    await removeTestImages(runtime.client, otherRepository);
    await removeTestImages(runtime.client, imageRepository);
  });

  it('builds under its own repository', () => {
    expect(cold.images.server.ref.startsWith(`${imageRepository}/server:`)).toBe(true);
    expect(cold.images.balancer.ref.startsWith(`${imageRepository}/balancer:`)).toBe(true);
  });

  it('makes the base image from this host and says so in one line', () => {
    const base = cold.lines.filter((line) => line.includes('base image'));
    if (cold.images.base.source === 'host') {
      expect(base).toEqual([`no registry answered; made base image ${cold.images.base.ref} from this host's node ${process.version}`]);
      expect(cold.images.base.ref).toBe(`${imageRepository}/node-base:${cold.images.base.ref.split(':')[1] ?? ''}`);
      expect(cold.images.base.ref).toMatch(/:[0-9a-f]{12}$/);
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

  it('rebuild forces a new build of the app images, keeping the base and the images of other repositories', async () => {
    // Another lab's images of the same bundles, on this test's base, under a repository of their own.
    const other = createDockerRuntime({ bundles, imageRepository: otherRepository, officialImages: [cold.images.base.ref] });
    const otherImages = await other.ensureImages();
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
    // ... and only this repository's: the other one's builds of the same bundles stay.
    expect((await runtime.client.inspectImage(otherImages.server.ref))?.Id).toBe(otherImages.server.id);
    expect((await runtime.client.inspectImage(otherImages.balancer.ref))?.Id).toBe(otherImages.balancer.id);
  });
});
