/**
 * Runs workbench queries and hunts on worker threads, so the server thread stays free to answer, with
 * limits: rows (maxRows), time (the engine's own deadline, backed by terminating the thread shortly after
 * it), memory (the engine's budget plus a V8 heap cap on the thread) and cancellation of a query by the
 * client's id or when the client goes away. Workers are kept warm (their extent caches survive between jobs);
 * a terminated worker is simply replaced. Jobs beyond the pool size wait their turn, up to maxQueued of them:
 * a flood of requests is refused, not queued for hours.
 */
import { Worker } from 'node:worker_threads';
import { HttpError } from './errors.js';
import type { EngineJob, EngineWorkerReply, EngineWorkerRequest, HuntResultMessage, HuntStartedMessage, QueryResultMessage } from './engine-protocol.js';

export interface PoolOptions {
  dir: string;
  size?: number;
  /** V8 heap cap per worker in MB. */
  heapMb?: number;
  /** The engine's memory budget per query (default: half of the worker's heap limit, as in the CLI). */
  memoryBudgetBytes?: number;
  /** Jobs that may wait for a thread (default 32); past it a job is refused at once (503) instead of piling up. */
  maxQueued?: number;
  /**
   * A hunt whose thread was stopped (time limit, out of memory, cancelled) never ends its run itself, and
   * its process (this server) lives on: the pool hands the run here to be ended as failed.
   */
  onRunLost?: (runId: number, reason: string) => void;
}

type OkReply = Extract<EngineWorkerReply, { ok: true }>;

interface Job {
  req: EngineJob;
  clientId?: string;
  resolve(r: OkReply): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  /** `runId`: the run a hunt recorded, once it has. */
  job?: Job & { seq: number; timer: NodeJS.Timeout; runId?: number };
}

const GRACE_MS = 2_000;
const fromSource = import.meta.url.endsWith('.ts');
const workerUrl = new URL(`./engine-worker${fromSource ? '.ts' : '.js'}`, import.meta.url);

/** Running from source (tests, tsx), the worker thread first registers tsx's loader, which threads do not inherit. */
function startWorker(options: ConstructorParameters<typeof Worker>[1]): Worker {
  if (!fromSource) return new Worker(workerUrl, options);
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

export class EnginePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private seq = 0;
  private closed = false;

  constructor(private readonly opts: PoolOptions) {}

  /** Runs a workbench query; `clientId` lets the client cancel it; `signal` (the client went away) stops it. */
  async query(req: Omit<Extract<EngineJob, { kind: 'query' }>, 'kind'>, clientId?: string, signal?: AbortSignal): Promise<QueryResultMessage> {
    const reply = await this.run({ kind: 'query', ...req }, clientId, signal);
    if (reply.kind !== 'query') throw new HttpError(500, 'the engine worker answered a query with something else');
    return reply;
  }

  /** Runs a hunt; its run and findings are in the findings database when this resolves. */
  async hunt(req: Omit<Extract<EngineJob, { kind: 'hunt' }>, 'kind'>): Promise<HuntResultMessage> {
    const reply = await this.run({ kind: 'hunt', ...req });
    if (reply.kind !== 'hunt') throw new HttpError(500, 'the engine worker answered a hunt with something else');
    return reply;
  }

  private run(req: EngineJob, clientId?: string, signal?: AbortSignal): Promise<OkReply> {
    if (this.closed) return Promise.reject(new HttpError(503, 'the server is shutting down'));
    const busy = !this.slots.some((s) => !s.job) && this.slots.length >= (this.opts.size ?? 2);
    const max = this.opts.maxQueued ?? 32;
    if (busy && this.queue.length >= max) return Promise.reject(new HttpError(503, `the engine is busy: ${this.queue.length} queries and hunts are already waiting; try again when they are done`));
    return new Promise((resolve, reject) => {
      const job: Job = { req, ...(clientId ? { clientId } : {}), resolve, reject };
      if (signal) {
        if (signal.aborted) return reject(new HttpError(499, 'the client went away'));
        signal.addEventListener('abort', () => this.drop(job), { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  /** Stops a job whose client went away: out of the queue, or its thread stopped. */
  private drop(job: Job): void {
    const gone = new HttpError(499, 'the client went away');
    const q = this.queue.indexOf(job);
    if (q >= 0) {
      this.queue.splice(q, 1);
      job.reject(gone);
      return;
    }
    const slot = this.slots.find((s) => s.job?.resolve === job.resolve);
    if (slot) this.fail(slot, gone);
  }

  /** Cancels the running or queued query with this client id; false when there is none. */
  cancel(clientId: string): boolean {
    const q = this.queue.findIndex((j) => j.clientId === clientId);
    if (q >= 0) {
      this.queue.splice(q, 1)[0]!.reject(new HttpError(409, 'the query was cancelled'));
      return true;
    }
    const slot = this.slots.find((s) => s.job?.clientId === clientId);
    if (!slot) return false;
    this.fail(slot, new HttpError(409, 'the query was cancelled'));
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new HttpError(503, 'the server is shutting down'));
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < (this.opts.size ?? 2)) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      const seq = ++this.seq;
      const what = job.req.kind === 'hunt' ? 'hunt' : 'query';
      const timer = setTimeout(() => this.fail(slot!, new HttpError(408, `the ${what} ran longer than its limit of ${job.req.timeoutMs} ms and was stopped`)), job.req.timeoutMs + GRACE_MS);
      slot.job = { ...job, seq, timer };
      slot.worker.postMessage({ ...job.req, seq } satisfies EngineWorkerRequest);
    }
  }

  private spawn(): Slot {
    const worker = startWorker({
      workerData: { dir: this.opts.dir, ...(this.opts.memoryBudgetBytes ? { memoryBudgetBytes: this.opts.memoryBudgetBytes } : {}) },
      resourceLimits: { maxOldGenerationSizeMb: this.opts.heapMb ?? 2048 },
    });
    const slot: Slot = { worker };
    worker.on('message', (reply: EngineWorkerReply | HuntStartedMessage) => {
      const job = slot.job;
      if (!job || job.seq !== reply.seq) return;
      if ('started' in reply) {
        job.runId = reply.started;
        return;
      }
      clearTimeout(job.timer);
      slot.job = undefined;
      if (reply.ok) job.resolve(reply);
      else job.reject(new HttpError(reply.status, reply.message, reply.diagnostics));
      // a thread whose query ran out of memory is replaced: the next query gets a fresh heap
      if (!reply.ok && reply.recycle) this.fail(slot, new HttpError(500, 'recycled'));
      else this.pump();
    });
    worker.on('error', (e: Error & { code?: string }) => {
      const oom = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const what = slot.job?.req.kind === 'hunt' ? 'hunt' : 'query';
      this.fail(slot, new HttpError(oom ? 400 : 500, oom ? `the ${what} ran out of memory and was stopped` : `the engine worker failed: ${e.message}`), false);
    });
    worker.on('exit', () => this.fail(slot, new HttpError(500, 'the engine worker stopped unexpectedly'), false));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  /** Ends the slot's job with `error` and replaces its worker (a cancelled thread cannot be trusted mid-query). */
  private fail(slot: Slot, error: HttpError, terminate = true): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    slot.worker.removeAllListeners('exit');
    if (terminate) void slot.worker.terminate();
    const job = slot.job;
    slot.job = undefined;
    if (job) {
      clearTimeout(job.timer);
      if (job.runId !== undefined) this.opts.onRunLost?.(job.runId, `stopped: ${error.message}`);
      job.reject(error);
    }
    if (!this.closed) this.pump();
  }
}
