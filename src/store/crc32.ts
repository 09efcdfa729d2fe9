/**
 * CRC-32 (the zlib/gzip polynomial): Node's zlib.crc32 where it exists (Node 20.15 and later), else a
 * table-driven one. Used for extent checksums and to check gzip members.
 */
import type * as Zlib from 'node:zlib';
import { lazyPackage } from '../common/lazy-package.js';

/** node:zlib when a checksum is first made or checked: a command that reads no extent never loads it. */
const zlib = lazyPackage<typeof Zlib>('node:zlib');

let table: Int32Array | undefined;

function crc32Js(data: Uint8Array, value = 0): number {
  if (!table) {
    table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
  }
  let c = ~value;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

let chosen: ((data: Uint8Array, value?: number) => number) | undefined;

/** The CRC-32 of `data`, continuing from `value` (the CRC of the bytes before it). */
export const crc32 = (data: Uint8Array, value?: number): number => (chosen ??= (zlib() as { crc32?: (data: Uint8Array, value?: number) => number }).crc32 ?? crc32Js)(data, value);
export { crc32Js };
