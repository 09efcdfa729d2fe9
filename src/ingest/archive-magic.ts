/**
 * Archives and compressions kqlite does not read, told by their first bytes (after gzip, when the file was
 * gzipped: a .tar.gz shows its tar header here). A portal export downloaded as .zip used to be read as
 * NDJSON and every "line" set aside as not JSON; naming the container says what to do instead.
 */
const SIGNATURES: readonly { kind: string; at: number; bytes: readonly number[] }[] = [
  { kind: 'zip', at: 0, bytes: [0x50, 0x4b, 0x03, 0x04] },
  { kind: 'zip', at: 0, bytes: [0x50, 0x4b, 0x05, 0x06] }, // an empty zip
  { kind: '7-Zip', at: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { kind: 'RAR', at: 0, bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07] },
  { kind: 'xz', at: 0, bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { kind: 'bzip2', at: 0, bytes: [0x42, 0x5a, 0x68] },
  { kind: 'zstd', at: 0, bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { kind: 'tar', at: 257, bytes: [0x75, 0x73, 0x74, 0x61, 0x72] }, // "ustar"
];

/** The archive or compression format the bytes start with, or undefined. */
export function archiveKind(head: Uint8Array): string | undefined {
  for (const s of SIGNATURES) {
    if (head.length < s.at + s.bytes.length) continue;
    if (s.bytes.every((b, i) => head[s.at + i] === b)) {
      // "BZh" is also plain text; bzip2 follows it with the block size digit 1-9 and a block magic
      if (s.kind === 'bzip2' && !(head[3]! >= 0x31 && head[3]! <= 0x39 && head[4] === 0x31 && head[5] === 0x41)) continue;
      return s.kind;
    }
  }
  return undefined;
}

/** What the refusal says: the container, and what to do. */
export function archiveRefusal(kind: string): string {
  return `this is a ${kind} ${kind === 'tar' || kind === 'zip' || kind === '7-Zip' || kind === 'RAR' ? 'archive' : 'compressed file'}: kqlite reads CSV, JSON, NDJSON, Parquet, EVTX and Windows event XML, plain or gzip-compressed; unpack it and ingest its files`;
}
