import { afterEach, describe, expect, it } from 'vitest';
import { createDockerRuntime } from '../../../../cli/runtime/docker/docker-runtime.js';
import { resolveDockerEndpoint } from '../../../../cli/runtime/docker/docker-endpoint.js';
import { probeDockerEngine } from '../../../../cli/runtime/docker/engine.js';
import { LabError } from '../../../../cli/errors.js';
import { describeDocker, engineProbe } from './engine-available.js';

const MISSING = 'unix:///nonexistent.sock';
const savedDockerHost = process.env.DOCKER_HOST;

afterEach(() => {
  if (savedDockerHost === undefined) delete process.env.DOCKER_HOST;
  else process.env.DOCKER_HOST = savedDockerHost;
});

describe('probeDockerEngine without an engine', () => {
  it('reports the endpoint and the socket error for a missing socket', async () => {
    expect(await probeDockerEngine(2_000, { dockerHost: MISSING })).toEqual({
      ok: false,
      endpoint: MISSING,
      reason: 'connect ENOENT /nonexistent.sock',
    });
  });

  it('honours DOCKER_HOST', async () => {
    process.env.DOCKER_HOST = MISSING;
    expect(await probeDockerEngine(2_000)).toEqual({ ok: false, endpoint: MISSING, reason: 'connect ENOENT /nonexistent.sock' });
  });

  it('says when nothing answers in time', async () => {
    // A TEST-NET-1 address: packets go nowhere.
    const probe = await probeDockerEngine(300, { dockerHost: 'tcp://192.0.2.1:2375' });
    expect(probe.ok).toBe(false);
    expect(probe).toMatchObject({ endpoint: 'tcp://192.0.2.1:2375' });
  });

  it('the runtime fails with LBLAB_NO_ENGINE and the exact message', async () => {
    const runtime = createDockerRuntime({ dockerHost: MISSING });
    const error = await runtime.list('lab').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LabError);
    expect(error).toMatchObject({
      code: 'LBLAB_NO_ENGINE',
      message:
        'no Docker engine at unix:///nonexistent.sock: connect ENOENT /nonexistent.sock. Start one (dockerd, or Docker Desktop), set DOCKER_HOST, or run without Docker: lblab up --runtime process',
    });
  });

  it('down gathers the no-engine error instead of throwing', async () => {
    const result = await createDockerRuntime({ dockerHost: MISSING }).down('lab');
    expect(result.removed).toEqual([]);
    expect(result.errors.map((error) => (error as LabError).code)).toEqual(['LBLAB_NO_ENGINE']);
  });
});

describe('resolveDockerEndpoint', () => {
  it('leaves DOCKER_HOST to dockerode and shows it as given', () => {
    expect(resolveDockerEndpoint(undefined, { DOCKER_HOST: 'tcp://10.0.0.5:2376' })).toEqual({ endpoint: 'tcp://10.0.0.5:2376' });
  });

  it('parses explicit hosts', () => {
    expect(resolveDockerEndpoint('unix:///run/user/1000/docker.sock', {})).toEqual({
      endpoint: 'unix:///run/user/1000/docker.sock',
      connection: { socketPath: '/run/user/1000/docker.sock' },
    });
    expect(resolveDockerEndpoint('tcp://127.0.0.1:2375', {})).toEqual({
      endpoint: 'tcp://127.0.0.1:2375',
      connection: { host: '127.0.0.1', port: 2375, protocol: 'http' },
    });
    expect(resolveDockerEndpoint('localhost:2376', {}).connection).toEqual({ host: 'localhost', port: 2376, protocol: 'https' });
  });

  it('rejects hosts it cannot use, naming the value', () => {
    expect(() => resolveDockerEndpoint('ftp://x', {})).toThrow(
      'Docker host "ftp://x" is not supported here: expected unix:///path, npipe:////./pipe/name or tcp://host:port (ssh:// works through DOCKER_HOST)',
    );
  });
});

describeDocker('probeDockerEngine with the engine', () => {
  it('answers ok with the endpoint', async () => {
    expect(engineProbe).toEqual({ ok: true, endpoint: engineProbe.endpoint });
    expect(await probeDockerEngine(3_000)).toEqual({ ok: true, endpoint: engineProbe.endpoint });
  });
});
