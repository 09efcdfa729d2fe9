/**
 * Worker threads that read files into extents (ingest-worker.ts), one file per worker at a time. The pool
 * remembers the extents a running file has written, so a worker that dies (out of memory, a crash) is undone
 * here like any failed file: its extents are dropped, its partial quarantine removed, and a fresh worker
 * takes the next file.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { insideWorkspace } from '../common/workspace-dir.js';
import { dropExtents } from './file-load.js';
import { emptyReport, type FileResult } from './ingest-file.js';
import { releaseIfHeldBy, withLock, type WorkerJob, type WorkerReply } from './ingest-protocol.js';
import { Workspace } from './workspace.js';

const fromSource = import.meta.url.endsWith('.ts');
const workerUrl = new URL(`./ingest-worker${fromSource ? '.ts' : '.js'}`, import.meta.url);

/** Running from source (tests, tsx), the thread first registers tsx's loader, which threads do not inherit. */
function startWorker(options: ConstructorParameters<typeof Worker>[1]): Worker {
  if (!fromSource) return new Worker(workerUrl, options);
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

interface Running {
  job: WorkerJob;
  written: { table: string; id: string }[];
  progress: (bytes: number, records: number) => void;
  resolve: (r: FileResult) => void;
}

interface Slot {
  worker: Worker;
  running?: Running;
}

export class IngestPool {
  private readonly lock = new SharedArrayBuffer(4);
  private readonly idle: Slot[] = [];
  private readonly all = new Set<Slot>();
  private readonly waiting: ((s: Slot) => void)[] = [];

  constructor(private readonly dir: string, size: number) {
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  async run(file: string, size: number, opts: WorkerJob['opts'], hash: string | undefined, progress: (bytes: number, records: number) => void): Promise<FileResult> {
    const slot = this.idle.pop() ?? (await new Promise<Slot>((r) => this.waiting.push(r)));
    const job: WorkerJob = { file, size, opts, ...(hash ? { hash } : {}) };
    return new Promise<FileResult>((resolve) => {
      slot.running = { job, written: [], progress, resolve };
      slot.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    const slots = [...this.all];
    this.all.clear(); // before terminating: an exit after this is no death to make up for
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = startWorker({ workerData: { dir: this.dir, lock: this.lock } });
    const slot: Slot = { worker };
    const tid = worker.threadId; // -1 once the thread has stopped: kept for cleaning up after it
    this.all.add(slot);
    worker.on('message', (m: WorkerReply) => {
      const r = slot.running;
      if (!r) return;
      if (m.kind === 'progress') r.progress(m.bytes, m.records);
      else if (m.kind === 'extent') r.written.push({ table: m.table, id: m.id });
      else {
        slot.running = undefined;
        this.release(slot);
        if (m.kind === 'done') r.resolve(m.result);
        else r.resolve(this.failed(r, m.message));
      }
    });
    const died = (why: string) => {
      if (!this.all.delete(slot)) return;
      releaseIfHeldBy(new Int32Array(this.lock), tid);
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
    const fr = emptyReport(r.job.file);
    fr.refused = `${message} (nothing of this file was kept)`;
    return { fr };
  }

  /** Undoes what a dead worker's file wrote: its extents (tables it created go whole) and partial quarantine. */
  private cleanUp(r: Running, threadId: number): void {
    const ws = Workspace.open(this.dir);
    withLock(new Int32Array(this.lock), () => dropExtents(ws, r.written, new Set()));
    // its partial quarantine and pending-extents journal (named by pid and thread, see quarantine.ts, pending.ts)
    for (const [sub, prefix] of [['quarantine', `.partial-${process.pid}-${threadId}-`], ['pending', `${process.pid}-${threadId}-`]] as const) {
      const d = insideWorkspace(this.dir, sub);
      if (existsSync(d)) for (const f of readdirSync(d)) if (f.startsWith(prefix)) rmSync(insideWorkspace(d, f), { force: true });
    }
  }
}
