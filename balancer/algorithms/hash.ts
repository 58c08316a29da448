const encoder = new TextEncoder();

/**
 * MurmurHash3 x86 32-bit of the UTF-8 bytes of `text`: well mixed (every
 * input bit affects every output bit), so `s1#0`, `s1#1`, ... land all over
 * the 32-bit ring instead of clustering like a character-sum hash.
 * Returns an unsigned 32-bit integer.
 */
export function murmur3(text: string, seed = 0): number {
  const length = text.length;
  if (scratch.length < length) scratch = new Uint8Array(Math.max(length, scratch.length * 2));
  // Hashed per request (consistent-hash, maglev): ASCII keys are copied into a reused buffer, not encoded anew.
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) {
      const bytes = encoder.encode(text);
      return murmur3Bytes(bytes, bytes.length, seed);
    }
    scratch[i] = code;
  }
  return murmur3Bytes(scratch, length, seed);
}

let scratch = new Uint8Array(64);

/** murmur3 of the first `length` bytes of `bytes` (lets a caller hash from a reused buffer). */
export function murmur3Bytes(bytes: Uint8Array, length: number, seed = 0): number {
  const blocks = length & ~3;
  let h = seed >>> 0;

  for (let i = 0; i < blocks; i += 4) {
    let k =
      (bytes[i] as number) |
      ((bytes[i + 1] as number) << 8) |
      ((bytes[i + 2] as number) << 16) |
      ((bytes[i + 3] as number) << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }

  const tail = length & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= (bytes[blocks + 2] as number) << 16;
    if (tail >= 2) k ^= (bytes[blocks + 1] as number) << 8;
    k ^= bytes[blocks] as number;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }

  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
