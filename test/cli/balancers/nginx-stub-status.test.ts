import { describe, expect, it } from 'vitest';
import { parseStubStatus } from '../../../cli/balancers/nginx-control.js';

describe('parseStubStatus', () => {
  it('reads active connections and the request count', () => {
    const text = 'Active connections: 3 \nserver accepts handled requests\n 17 17 42 \nReading: 0 Writing: 1 Waiting: 2 \n';
    expect(parseStubStatus(text)).toEqual({ active: 3, requests: 42 });
  });
});
