import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { DockerClient } from '../../../../cli/runtime/docker/docker-client.js';
import { labFilter } from '../../../../cli/runtime/docker/labels.js';
import type { Runtime } from '../../../../cli/runtime/runtime.js';

/** A lab name no other test file or run uses. */
export function uniqueLab(): string {
  return `t${randomBytes(4).toString('hex')}`;
}

/** Tears the lab down and checks the engine holds nothing of it; run from afterAll/afterEach. */
export async function downAndExpectGone(runtime: Runtime, client: DockerClient, lab: string): Promise<void> {
  const result = await runtime.down(lab);
  expect(result.errors.map((error) => error.message)).toEqual([]);
  expect(await client.listContainers(labFilter(lab))).toEqual([]);
  expect(await client.listNetworks(labFilter(lab))).toEqual([]);
}
