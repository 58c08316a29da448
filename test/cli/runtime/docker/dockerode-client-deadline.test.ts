import { afterEach, describe, expect, it } from 'vitest';
import { LabError } from '../../../../cli/errors.js';
import { DockerodeClient } from '../../../../cli/runtime/docker/dockerode-client.js';
import { startTruncatingEngine, type TruncatingEngine } from '../../../helpers/truncating-engine.js';

let engine: TruncatingEngine | undefined;

afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

describe('DockerodeClient against an engine that closes mid-answer', () => {
  it('fails an ordinary call with LBLAB_ENGINE once its deadline passes, instead of never settling', async () => {
    engine = await startTruncatingEngine();
    const client = new DockerodeClient({ dockerHost: `unix://${engine.socketPath}`, callTimeoutMs: 300 });
    const error = await client.inspectContainer('0123456789abcdef').catch((caught: unknown) => caught);
    expect(engine.requests()).toBe(1);
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).code).toBe('LBLAB_ENGINE');
    expect((error as LabError).message).toBe(
      `the Docker engine at unix://${engine.socketPath} did not finish "inspect container 0123456789ab" within 300 ms ` +
        '(no answer, or the connection closed mid-answer); check that `docker info` answers, then retry',
    );
  }, 10_000);

  it('ends a ping at its own signal (the probe then says no engine answered)', async () => {
    engine = await startTruncatingEngine();
    const client = new DockerodeClient({ dockerHost: `unix://${engine.socketPath}` });
    const error = await client.ping(AbortSignal.timeout(200)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).code).toBe('LBLAB_NO_ENGINE');
  }, 10_000);
});
