import { describe, expect, it } from 'vitest';

import { appendEndToEndHeaders, namedByConnection } from '../../../balancer/data-path/hop-by-hop.js';

describe('appendEndToEndHeaders', () => {
  it('drops hop-by-hop headers and the headers Connection names; a repeated header is repeated in the list', () => {
    expect(
      appendEndToEndHeaders([], {
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
    ).toEqual(['content-type', 'text/plain', 'set-cookie', 'a=1', 'set-cookie', 'b=2']);
  });

  it('keeps everything end-to-end when Connection is keep-alive or absent, after what the list held', () => {
    expect(appendEndToEndHeaders([], { connection: 'keep-alive', host: 'a', 'content-length': '3' })).toEqual(['host', 'a', 'content-length', '3']);
    expect(appendEndToEndHeaders(['x-first', '0'], { 'x-a': '1', 'x-b': undefined })).toEqual(['x-first', '0', 'x-a', '1']);
  });
});

describe('namedByConnection', () => {
  it.each([
    [undefined, undefined],
    ['keep-alive', undefined],
    ['close', undefined],
    ['Keep-Alive, close', undefined],
    ['keep-alive, X-Secret', ['x-secret']],
    [['x-a', ' x-b , close'], ['x-a', 'x-b']],
  ])('%j names %j', (connection, names) => {
    const named = namedByConnection(connection);
    expect(named === undefined ? undefined : [...named]).toEqual(names);
  });
});
