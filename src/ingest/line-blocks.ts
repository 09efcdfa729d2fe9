/**
 * Decoded bytes cut into blocks of whole lines, for threads that each read some of a file's lines
 * (ingest-split.ts). A block ends just after a newline (only the file's last one may not), lives in an
 * ArrayBuffer of its own (moved to a worker, not copied), and carries the number of its first line, so
 * quarantine entries name the line of the file. A line longer than `maxRecordBytes` is never buffered whole:
 * it comes out as a problem line with its number, as splitLines reports it.
 */
import { lineTooLong, MAX_RECORD_BYTES } from './splitters.js';

export type LinePiece = { kind: 'block'; bytes: Uint8Array; firstLine: number } | { kind: 'problem'; line: number; problem: string };

const NEWLINE = 0x0a;

export class LineBlocks {
  private pending: Buffer[] = [];
  private size = 0;
  private line: number;
  /** Inside a line already reported as too long: its bytes are dropped up to its newline. */
  private oversize = false;

  /**
   * `firstLine`: the number of the first line pushed (a grown file is read on from its new part); `alloc`:
   * memory for a block of n bytes (a view of n bytes from offset 0 of an ArrayBuffer of its own), by default new.
   */
  constructor(private readonly emit: (p: LinePiece) => void, private readonly blockBytes = 4 << 20, private readonly maxRecordBytes = MAX_RECORD_BYTES, firstLine = 1, private readonly alloc: (n: number) => Uint8Array = (n) => Buffer.allocUnsafeSlow(n)) {
    this.line = firstLine;
  }

  push(chunk: Buffer): void {
    if (this.oversize) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl < 0) return;
      this.emit({ kind: 'problem', line: this.line++, problem: lineTooLong(this.maxRecordBytes) });
      this.oversize = false;
      chunk = chunk.subarray(nl + 1);
    }
    if (!chunk.byteLength) return;
    this.pending.push(chunk);
    this.size += chunk.byteLength;
    if (this.size < this.blockBytes) return;
    // cut after the last newline held; what follows it starts the next block
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const nl = this.pending[i]!.lastIndexOf(NEWLINE);
      if (nl < 0) continue;
      const rest = [this.pending[i]!.subarray(nl + 1), ...this.pending.slice(i + 1)].filter((b) => b.byteLength);
      this.pending = [...this.pending.slice(0, i), this.pending[i]!.subarray(0, nl + 1)];
      this.flush();
      this.pending = rest;
      this.size = rest.reduce((n, b) => n + b.byteLength, 0);
      break;
    }
    if (this.size > this.maxRecordBytes) {
      this.pending = [];
      this.size = 0;
      this.oversize = true;
    }
  }

  end(): void {
    if (this.oversize) this.emit({ kind: 'problem', line: this.line, problem: lineTooLong(this.maxRecordBytes) });
    else if (this.size) this.flush();
  }

  private flush(): void {
    const n = this.pending.reduce((s, b) => s + b.byteLength, 0);
    // memory of its own (moved to the worker), not zeroed first: every byte is copied over
    const bytes = this.alloc(n);
    let at = 0;
    for (const b of this.pending) {
      bytes.set(b, at);
      at += b.byteLength;
    }
    const firstLine = this.line;
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, n); // Buffer's indexOf is memchr; a typed array's is a loop
    for (let p = view.indexOf(NEWLINE); p >= 0; p = view.indexOf(NEWLINE, p + 1)) this.line++;
    this.pending = [];
    this.size = 0;
    this.emit({ kind: 'block', bytes, firstLine });
  }
}
