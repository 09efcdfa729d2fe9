/**
 * Archives and compressions kqlite does not read, told by their first bytes (after gzip, when the file was
 * gzipped: a .tar.gz shows its tar header here). A portal export downloaded as .zip used to be read as
 * NDJSON and every "line" set aside as not JSON; naming the container says what to do instead.
 */
const SIGNATURES: readonly { kind: string; what: 'archive' | 'compressed file'; at: number; bytes: readonly number[] }[] = [
  { kind: 'zip', what: 'archive', at: 0, bytes: [0x50, 0x4b, 0x03, 0x04] },
  { kind: 'zip', what: 'archive', at: 0, bytes: [0x50, 0x4b, 0x05, 0x06] }, // an empty zip
  { kind: '7-Zip', what: 'archive', at: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { kind: 'RAR', what: 'archive', at: 0, bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07] },
  { kind: 'tar', what: 'archive', at: 257, bytes: [0x75, 0x73, 0x74, 0x61, 0x72] }, // "ustar"
  { kind: 'xz', what: 'compressed file', at: 0, bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  // "BZh" is also text: bzip2 follows it with the block size digit 1-9 and the block magic's "1A"
  { kind: 'bzip2', what: 'compressed file', at: 0, bytes: [0x42, 0x5a, 0x68] },
  { kind: 'zstd', what: 'compressed file', at: 0, bytes: [0x28, 0xb5, 0x2f, 0xfd] },
];

/**
 * Why a file that starts like an archive or another compression is refused (what it is, and what to do), or
 * undefined when it starts like none.
 */
export function archiveRefusal(head: Uint8Array): string | undefined {
  const s = SIGNATURES.find((s) => head.length >= s.at + s.bytes.length && s.bytes.every((b, i) => head[s.at + i] === b) && (s.kind !== 'bzip2' || isBzip2Block(head)));
  return s && `this is a ${s.kind} ${s.what}: kqlite reads CSV, JSON, NDJSON, Parquet, EVTX and Windows event XML, plain or gzip-compressed; unpack it and ingest its files`;
}

const isBzip2Block = (head: Uint8Array) => head[3]! >= 0x31 && head[3]! <= 0x39 && head[4] === 0x31 && head[5] === 0x41;
