import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortPair } from '../helpers/free-ports.js';
import { runLblab } from '../helpers/run-lblab.js';
import { startTruncatingEngine, type TruncatingEngine } from '../helpers/truncating-engine.js';

// Before the engine calls had deadlines, this `up` ended with exit code 13 and printed nothing.
describe('lblab up against an engine that closes its connections mid-answer', () => {
  let engine: TruncatingEngine;
  let home: string;

  beforeAll(async () => {
    engine = await startTruncatingEngine();
    home = await mkdtemp(path.join(os.tmpdir(), 'lblab-hangup-'));
  });

  afterAll(async () => {
    await engine.close();
    await rm(home, { recursive: true, force: true });
  });

  it('fails with a clear message and exit code 1', async () => {
    const port = await freePortPair();
    const result = await runLblab(['up', '--runtime', 'docker', '--lab', 'hangup', '--port', String(port)], {
      DOCKER_HOST: `unix://${engine.socketPath}`,
      LBLAB_HOME: home,
    });
    expect(engine.requests()).toBeGreaterThan(0);
    expect(result.stderr).toContain(`lblab: no Docker engine at unix://${engine.socketPath}: no answer within 5000 ms.`);
    expect(result.code).toBe(1);
  }, 30_000);
});
