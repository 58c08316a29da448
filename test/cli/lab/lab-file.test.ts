import { describe, expect, it } from 'vitest';
import { parseLabFileText } from '../../../cli/lab/lab-file.js';

describe('lab files (lblab up -f)', () => {
  it('take the lab fields on their own', () => {
    const settings = parseLabFileText(
      ['servers: 4', 'algorithm: weighted-round-robin', 'weights: {server1: 3}', 'usernames: {server2: tom}', 'runtime: process'].join('\n'),
      'lab.yaml',
    );
    expect(settings).toMatchObject({
      servers: 4,
      app: 'factorial',
      algorithm: 'weighted-round-robin',
      weights: { server1: 3 },
      usernames: { server2: 'tom' },
      runtime: 'process',
    });
  });

  it("take a scenario's lab block, ignoring its phases", () => {
    const settings = parseLabFileText(
      ['name: x', 'lab:', '  servers: 2', '  app: greeting', 'phases:', '  - {kind: closed, requests: 10, concurrency: 1}'].join('\n'),
      'scenario.yaml',
    );
    expect(settings).toMatchObject({ servers: 2, app: 'greeting', algorithm: 'round-robin' });
  });

  it('name the line and the field of a problem in a bare lab file', () => {
    expect(() => parseLabFileText(['servers: 2', 'weights:', '  server3: 2'].join('\n'), 'lab.yaml')).toThrow(
      'lab.yaml:3: weights.server3 names no server of the lab; servers: server1, server2',
    );
  });
});
