import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { missingTlsFiles, publishedAddress, resolveDockerEndpoint } from '../../../../cli/runtime/docker/docker-endpoint.js';
import { balancerContainerSpec } from '../../../../cli/runtime/docker/container-specs.js';
import { DockerodeClient } from '../../../../cli/runtime/docker/dockerode-client.js';
import { balancerUrls } from '../../../../cli/lab/lab-record.js';
import { DEFAULT_CONFIG } from '../../../../balancer/config/config.js';
import { LabError } from '../../../../cli/errors.js';

const saved = { DOCKER_HOST: process.env.DOCKER_HOST, DOCKER_CERT_PATH: process.env.DOCKER_CERT_PATH, DOCKER_TLS_VERIFY: process.env.DOCKER_TLS_VERIFY };
const temporary: string[] = [];

afterEach(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('resolveDockerEndpoint', () => {
  it('takes a unix:// host as a socket path', () => {
    expect(resolveDockerEndpoint('unix:///tmp/d2/docker.sock', {})).toEqual({
      endpoint: 'unix:///tmp/d2/docker.sock',
      connection: { socketPath: '/tmp/d2/docker.sock' },
    });
  });

  it('takes tcp:// as plain HTTP, and port 2376 as TLS', () => {
    expect(resolveDockerEndpoint('tcp://10.0.0.5:2375', {}).connection).toEqual({ host: '10.0.0.5', port: 2375, protocol: 'http' });
    expect(resolveDockerEndpoint('tcp://docker.example:2376', {}).connection).toEqual({ host: 'docker.example', port: 2376, protocol: 'https' });
    expect(resolveDockerEndpoint('10.0.0.5:2375', {}).connection).toEqual({ host: '10.0.0.5', port: 2375, protocol: 'http' });
  });

  it('leaves DOCKER_HOST (tcp with TLS variables, ssh) to dockerode', () => {
    expect(resolveDockerEndpoint(undefined, { DOCKER_HOST: 'ssh://me@engine.example' })).toEqual({ endpoint: 'ssh://me@engine.example' });
    expect(resolveDockerEndpoint(undefined, { DOCKER_HOST: 'tcp://engine.example:2376', DOCKER_TLS_VERIFY: '1' })).toEqual({ endpoint: 'tcp://engine.example:2376' });
  });

  it('refuses a host it cannot use, naming it', () => {
    expect(() => resolveDockerEndpoint('ftp://engine.example', {})).toThrow(/Docker host "ftp:\/\/engine.example" is not supported here/);
  });
});

describe('publishedAddress', () => {
  it.each([
    ['unix:///var/run/docker.sock'],
    ['unix:///tmp/lblab-d2-1/docker.sock'],
    ['npipe:////./pipe/docker_engine'],
    ['tcp://127.0.0.1:2375'],
    ['tcp://localhost:2376'],
    ['tcp://[::1]:2375'],
    ['ssh://me@engine.example'],
    ['ssh://me@engine.example:2222'],
  ])('%s: ports on 127.0.0.1, used at 127.0.0.1', (endpoint) => {
    expect(publishedAddress(endpoint, {})).toEqual({ host: '127.0.0.1', bindIp: '127.0.0.1' });
  });

  it.each([
    ['tcp://engine.example:2376', 'engine.example'],
    ['tcp://10.0.0.5:2375', '10.0.0.5'],
    ['https://10.0.0.5', '10.0.0.5'],
    ['10.0.0.5:2375', '10.0.0.5'],
    ['tcp://[fd00::5]:2376', '[fd00::5]'],
  ])('%s: ports on every interface of the engine, used at %s', (endpoint, host) => {
    expect(publishedAddress(endpoint, {})).toEqual({ host, bindIp: '0.0.0.0' });
  });

  it('LBLAB_PUBLISHED_HOST names the host instead', () => {
    expect(publishedAddress('tcp://10.0.0.5:2375', { LBLAB_PUBLISHED_HOST: 'nat.example' })).toEqual({ host: 'nat.example', bindIp: '0.0.0.0' });
    expect(publishedAddress('tcp://10.0.0.5:2375', { LBLAB_PUBLISHED_HOST: 'localhost' })).toEqual({ host: '127.0.0.1', bindIp: '127.0.0.1' });
  });

  it('refuses an LBLAB_PUBLISHED_HOST that is not a host', () => {
    const attempt = (): unknown => publishedAddress('unix:///var/run/docker.sock', { LBLAB_PUBLISHED_HOST: 'http://x:1/' });
    expect(attempt).toThrow(LabError);
    expect(attempt).toThrow('LBLAB_PUBLISHED_HOST must be a host name or address (example.com, 10.0.0.5, [fd00::5]), got "http://x:1/"');
  });
});

describe('the published host in what lblab makes and shows', () => {
  const lab = { lab: 'remote1', port: 18080, adminPort: 18081 };
  const limits = { memoryBytes: 64 * 1024 * 1024, nanoCpus: 1e9, pidsLimit: 64, readonlyRootfs: true };

  it('binds the balancer ports on 127.0.0.1 by default, on every interface for a remote tcp engine', () => {
    const local = balancerContainerSpec(lab, { config: DEFAULT_CONFIG }, 'lblab/balancer:x', limits);
    expect(Object.values(local.HostConfig?.PortBindings ?? {}).flat()).toEqual([
      { HostIp: '127.0.0.1', HostPort: '18080' },
      { HostIp: '127.0.0.1', HostPort: '18081' },
    ]);
    const remote = balancerContainerSpec(lab, { config: DEFAULT_CONFIG }, 'lblab/balancer:x', limits, publishedAddress('tcp://10.0.0.5:2376', {}).bindIp);
    expect(Object.values(remote.HostConfig?.PortBindings ?? {}).flat().map((binding) => binding.HostIp)).toEqual(['0.0.0.0', '0.0.0.0']);
  });

  it('builds the lab URLs from the recorded host', () => {
    expect(balancerUrls({ port: 18080, adminPort: 18081 })).toEqual({ url: 'http://127.0.0.1:18080', adminUrl: 'http://127.0.0.1:18081' });
    expect(balancerUrls({ port: 18080, adminPort: 18081, host: '10.0.0.5' })).toEqual({ url: 'http://10.0.0.5:18080', adminUrl: 'http://10.0.0.5:18081' });
  });
});

describe('TLS files', () => {
  it('names the files DOCKER_CERT_PATH lacks', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lblab-certs-'));
    temporary.push(dir);
    await writeFile(path.join(dir, 'ca.pem'), 'x');
    const env = { DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_CERT_PATH: dir };
    expect(missingTlsFiles(env)).toEqual([path.join(dir, 'cert.pem'), path.join(dir, 'key.pem')]);
    expect(missingTlsFiles({ DOCKER_HOST: 'unix:///var/run/docker.sock', DOCKER_CERT_PATH: dir })).toEqual([]);
  });

  it('the client refuses an incomplete DOCKER_CERT_PATH with the missing files named', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lblab-certs-'));
    temporary.push(dir);
    process.env.DOCKER_HOST = 'tcp://10.0.0.5:2376';
    process.env.DOCKER_TLS_VERIFY = '1';
    process.env.DOCKER_CERT_PATH = dir;
    expect(() => new DockerodeClient()).toThrow(`DOCKER_CERT_PATH ${JSON.stringify(dir)} lacks ${path.join(dir, 'ca.pem')}, ${path.join(dir, 'cert.pem')}, ${path.join(dir, 'key.pem')}`);
  });
});
