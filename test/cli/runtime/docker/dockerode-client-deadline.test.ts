import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LabError } from '../../../../cli/errors.js';
import { DockerodeClient } from '../../../../cli/runtime/docker/dockerode-client.js';

/**
 * A stand-in engine on a Unix socket that answers every request with a 200
 * whose body stops half-way, then closes the connection: what a loaded or
 * restarting engine (or a proxy in front of it) can do.
 */
async function truncatingEngine(): Promise<{ socketPath: string; requests: () => number; close: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lblab-fake-engine-'));
  const socketPath = path.join(dir, 'docker.sock');
  let requests = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('data', () => {
      requests += 1;
      socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"Id":"ab');
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    requests: () => requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let engine: Awaited<ReturnType<typeof truncatingEngine>> | undefined;

afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

describe('DockerodeClient against an engine that closes mid-answer', () => {
  it('fails an ordinary call with LBLAB_ENGINE once its deadline passes, instead of never settling', async () => {
    engine = await truncatingEngine();
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
    engine = await truncatingEngine();
    const client = new DockerodeClient({ dockerHost: `unix://${engine.socketPath}` });
    const error = await client.ping(AbortSignal.timeout(200)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).code).toBe('LBLAB_NO_ENGINE');
  }, 10_000);
});
