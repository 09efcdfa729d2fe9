/**
 * Worker threads that read files into extents (ingest-worker.ts), one file per worker at a time. The pool
 * remembers the extents a running file has written, so a worker that dies (out of memory, a crash) is undone
 * here like any failed file: its extents are deleted, its partial quarantine removed, and a fresh worker
 * takes the next file.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { insideWorkspace } from '../common/workspace-dir.js';
import type { TableSchema } from '../kql/semantics/types.js';
import { dropExtents } from './file-load.js';
import { emptyReport, type FileResult } from './ingest-file.js';
import type { WorkerJob, WorkerMessage, WorkerReply } from './ingest-protocol.js';

const fromSource = import.meta.url.endsWith('.ts');
const workerUrl = new URL(`./ingest-worker${fromSource ? '.ts' : '.js'}`, import.meta.url);

/** Running from source (tests, tsx), the thread first registers tsx's loader, which threads do not inherit. */
function startWorker(options: ConstructorParameters<typeof Worker>[1]): Worker {
  if (!fromSource) return new Worker(workerUrl, options);
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

interface Running {
  file: string;
  written: { table: string; id: string }[];
  progress?: (bytes: number, records: number) => void;
  resolve: (r: FileResult) => void;
  /** A part's block has been read (its memory handed back). */
  blockDone?: (bytes: Uint8Array | undefined) => void;
}

/** Blocks sent to a part and not yet read: enough to keep its thread busy, few enough to bound memory. */
const BLOCKS_IN_FLIGHT = 2;

/** One thread's part of a file split across threads (ingest-split.ts): blocks go in, one result comes out. */
export class PartHandle {
  inFlight = 0;
  settled = false;
  /** Where a block's memory goes once the part has read it (ingest-split.ts fills it again). */
  recycle: ((bytes: Uint8Array) => void) | undefined;
  private waiting: (() => void) | undefined;

  constructor(private readonly worker: Worker, readonly written: { table: string; id: string }[], readonly result: Promise<FileResult>) {}

  /** Sends a block, once this part has room for it (nothing is sent to a part that has ended). */
  async send(bytes: Uint8Array, firstLine: number): Promise<void> {
    while (this.inFlight >= BLOCKS_IN_FLIGHT && !this.settled) await new Promise<void>((r) => (this.waiting = r));
    if (this.settled) return;
    this.inFlight++;
    const m: WorkerMessage = { kind: 'block', bytes, firstLine };
    this.worker.postMessage(m, [bytes.buffer as ArrayBuffer]);
  }

  problem(line: number, problem: string): void {
    if (!this.settled) this.worker.postMessage({ kind: 'problem', line, problem } satisfies WorkerMessage);
  }

  /** The part's result, once it has read every block sent. */
  end(): Promise<FileResult> {
    if (!this.settled) this.worker.postMessage({ kind: 'part-end' } satisfies WorkerMessage);
    return this.result;
  }

  /** Called by the pool: a block was read, or the part ended (done, failed, or its thread died). */
  wake(settled = false, bytes?: Uint8Array): void {
    if (settled) this.settled = true;
    else this.inFlight--;
    if (bytes) this.recycle?.(bytes);
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }
}

interface Slot {
  worker: Worker;
  running?: Running;
}

export class IngestPool {
  private readonly idle: Slot[] = [];
  private readonly all = new Set<Slot>();
  private readonly waiting: ((s: Slot) => void)[] = [];

  constructor(private readonly dir: string, size: number) {
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  async run(file: string, size: number, opts: WorkerJob['opts'], cont: WorkerJob['cont'], schemas: TableSchema[], progress: (bytes: number, records: number) => void): Promise<FileResult> {
    const slot = this.idle.pop() ?? (await new Promise<Slot>((r) => this.waiting.push(r)));
    const job: WorkerMessage = { kind: 'file', file, size, opts, schemas, ...(cont ? { cont } : {}) };
    return new Promise<FileResult>((resolve) => {
      slot.running = { file, written: [], progress, resolve };
      slot.worker.postMessage(job);
    });
  }

  /** Starts one part of a file split across threads on the next free thread. */
  async part(file: string, opts: WorkerJob['opts'], schemas: TableSchema[]): Promise<PartHandle> {
    const slot = this.idle.pop() ?? (await new Promise<Slot>((r) => this.waiting.push(r)));
    const written: { table: string; id: string }[] = [];
    let handle: PartHandle | undefined;
    const result = new Promise<FileResult>((resolve) => {
      slot.running = { file, written, resolve: (r) => (handle!.wake(true), resolve(r)), blockDone: (bytes) => handle!.wake(false, bytes) };
    });
    handle = new PartHandle(slot.worker, written, result);
    slot.worker.postMessage({ kind: 'part', file, opts, schemas } satisfies WorkerMessage);
    return handle;
  }

  async close(): Promise<void> {
    const slots = [...this.all];
    this.all.clear(); // before terminating: an exit after this is no death to make up for
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = startWorker({ workerData: { dir: this.dir } });
    const slot: Slot = { worker };
    const tid = worker.threadId; // -1 once the thread has stopped: kept for cleaning up after it
    this.all.add(slot);
    worker.on('message', (m: WorkerReply) => {
      const r = slot.running;
      if (!r) return;
      if (m.kind === 'progress') r.progress?.(m.bytes, m.records);
      else if (m.kind === 'extent') r.written.push({ table: m.table, id: m.id });
      else if (m.kind === 'block-done') r.blockDone?.(m.bytes);
      else {
        slot.running = undefined;
        this.release(slot);
        if (m.kind === 'done') r.resolve(m.result);
        else r.resolve(this.failed(r, m.message));
      }
    });
    const died = (why: string) => {
      if (!this.all.delete(slot)) return;
      const r = slot.running;
      slot.running = undefined;
      if (r) {
        this.cleanUp(r, tid);
        r.resolve(this.failed(r, why));
      }
      const i = this.idle.indexOf(slot);
      if (i >= 0) this.idle.splice(i, 1);
      this.release(this.spawn());
    };
    worker.on('error', (e) => died(`the ingest thread failed: ${e.message}`));
    worker.on('exit', (code) => died(`the ingest thread stopped (exit ${code})`));
    return slot;
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.idle.push(slot);
  }

  private failed(r: Running, message: string): FileResult {
    const fr = emptyReport(r.file);
    fr.refused = `${message} (nothing of this file was kept)`;
    return { fr };
  }

  /** Undoes what a dead worker's file wrote: its extents and its partial quarantine. */
  private cleanUp(r: Running, threadId: number): void {
    dropExtents(this.dir, r.written);
    // its partial quarantine (named by pid and thread, see quarantine.ts)
    const d = insideWorkspace(this.dir, 'quarantine');
    const prefix = `.partial-${process.pid}-${threadId}-`;
    if (existsSync(d)) for (const f of readdirSync(d)) if (f.startsWith(prefix)) rmSync(insideWorkspace(d, f), { force: true });
  }
}
