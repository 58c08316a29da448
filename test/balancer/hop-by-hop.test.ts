import { describe, expect, it } from 'vitest';

import { endToEndHeaders } from '../../balancer/hop-by-hop.js';

describe('endToEndHeaders', () => {
  it('drops hop-by-hop headers and the headers Connection names', () => {
    expect(
      endToEndHeaders({
        connection: 'Keep-Alive, X-Private , close',
        'keep-alive': 'timeout=5',
        'proxy-authenticate': 'Basic',
        'proxy-authorization': 'Basic x',
        te: 'trailers',
        trailer: 'x-sum',
        'transfer-encoding': 'chunked',
        upgrade: 'h2c',
        'x-private': 'secret',
        'content-type': 'text/plain',
        'set-cookie': ['a=1', 'b=2'],
      }),
    ).toEqual({ 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] });
  });

  it('keeps everything end-to-end when Connection is keep-alive or absent', () => {
    expect(endToEndHeaders({ connection: 'keep-alive', host: 'a', 'content-length': '3' })).toEqual({ host: 'a', 'content-length': '3' });
    expect(endToEndHeaders({ 'x-a': '1' })).toEqual({ 'x-a': '1' });
  });
});
