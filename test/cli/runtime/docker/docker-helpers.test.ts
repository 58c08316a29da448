import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../balancer/config/config.js';
import { containerBalancerConfig, faultEnv } from '../../../../cli/runtime/docker/container-specs.js';
import { parseLddOutput } from '../../../../cli/runtime/docker/host-node-rootfs.js';
import { exitCodeOfStatus, memberState } from '../../../../cli/runtime/docker/member-state.js';
import { portInUseError } from '../../../../cli/runtime/docker/port-in-use.js';
import { readProgress } from '../../../../cli/runtime/docker/progress-stream.js';
import { parentDirectories } from '../../../../cli/runtime/docker/tar-pack.js';

describe('parseLddOutput', () => {
  it('keeps library paths and the loader, skips the vdso', () => {
    const output = [
      '\tlinux-vdso.so.1 (0x00007ffc2b5f3000)',
      '\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007efd7cbe8000)',
      '\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007efd7c800000)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007efd7cc01000)',
    ].join('\n');
    expect(parseLddOutput(output)).toEqual([
      '/lib/x86_64-linux-gnu/libdl.so.2',
      '/lib/x86_64-linux-gnu/libstdc++.so.6',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
  });

  it('fails on a missing library', () => {
    expect(() => parseLddOutput('\tlibfoo.so.1 => not found\n')).toThrow('shared library libfoo.so.1 not found');
  });
});

describe('parentDirectories', () => {
  it('lists parents first, each once', () => {
    expect(parentDirectories(['usr/local/bin/node', '/lib64/ld.so', 'usr/lib/x'])).toEqual(['lib64', 'usr', 'usr/lib', 'usr/local', 'usr/local/bin']);
  });
});

describe('portInUseError', () => {
  const ports = { port: 8080, adminPort: 8081 };
  it.each([
    ['driver failed programming external connectivity on endpoint t-balancer (abc): Bind for 127.0.0.1:8080 failed: port is already allocated', 8080, '--port'],
    ['driver failed programming external connectivity on endpoint t-balancer (abc): Error starting userland proxy: listen tcp4 127.0.0.1:8081: bind: address already in use', 8081, '--admin-port'],
  ])('maps %s', (message, port, flag) => {
    expect(portInUseError(message, ports)).toMatchObject({
      code: 'LBLAB_PORT_IN_USE',
      message: `port ${port} on 127.0.0.1 is already in use; choose another with ${flag}`,
    });
  });

  it('leaves other errors alone', () => {
    expect(portInUseError('No such image: lblab/balancer:abc', ports)).toBeUndefined();
  });
});

describe('member state', () => {
  it('maps engine states', () => {
    expect(['running', 'restarting', 'paused', 'exited', 'created', 'dead'].map(memberState)).toEqual([
      'running',
      'running',
      'paused',
      'stopped',
      'stopped',
      'stopped',
    ]);
  });

  it('reads the exit code from the status text', () => {
    expect(exitCodeOfStatus('Exited (137) 3 seconds ago')).toBe(137);
    expect(exitCodeOfStatus('Created')).toBeUndefined();
  });
});

describe('readProgress', () => {
  it('fails with the error the engine put in the stream', async () => {
    const stream = Readable.from([
      '{"stream":"Step 1/6 : FROM lblab/node-base:abc\\n"}\n{"errorDetail":{"message":"pull access denied"},"error":"pull access denied"}\n',
    ]);
    await expect(readProgress(stream)).rejects.toMatchObject({ message: 'pull access denied', lines: ['Step 1/6 : FROM lblab/node-base:abc'] });
  });

  it('handles lines split across chunks', async () => {
    expect(await readProgress(Readable.from(['{"stre', 'am":"a\\n"}\n{"status":"b"}']))).toEqual({ lines: ['a', 'b'] });
  });
});

describe('container settings', () => {
  it('turns faults into the sample server env', () => {
    expect(faultEnv({ errorRate: 0.3, latencyMs: [100, 300], hang: true })).toEqual([
      'LBLAB_FAULT_ERROR_RATE=0.3',
      'LBLAB_FAULT_LATENCY_MS=100-300',
      'LBLAB_FAULT_HANG=1',
    ]);
    expect(faultEnv({ latencyMs: 200 })).toEqual(['LBLAB_FAULT_LATENCY_MS=200']);
  });

  it('moves the balancer to all interfaces and fixed ports inside its container', () => {
    expect(containerBalancerConfig({ ...DEFAULT_CONFIG, port: 9000, adminPort: 9001 })).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      adminHost: '0.0.0.0',
      adminPort: 8081,
      serverUrlTemplate: 'http://{name}:3000',
    });
  });
});
