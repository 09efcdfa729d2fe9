/**
 * A worker thread of the ingest pool (ingest-pool.ts): reads the files it is given into extents of the
 * workspace, one at a time, and reports progress, each extent written and the result. Appends (schema and
 * extent writes) and undos take the pool's lock, shared with the other workers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readFileIntoExtents, type ReadOptions } from './ingest-file.js';
import { withLock, type WorkerJob, type WorkerReply } from './ingest-protocol.js';
import { Workspace } from './workspace.js';

const { dir, lock } = workerData as { dir: string; lock: SharedArrayBuffer };
const ws = Workspace.open(dir);
const locked = new Int32Array(lock);
const post = (m: WorkerReply) => parentPort!.postMessage(m);

parentPort!.on('message', (job: WorkerJob) => {
  let last = 0;
  const opts: ReadOptions = {
    ...job.opts,
    onExtent: (table, id) => post({ kind: 'extent', table, id }),
    appendLock: (f) => withLock(locked, f),
  };
  readFileIntoExtents(ws, job.file, job.size, opts, (bytes, records) => {
    const now = Date.now();
    if (now - last < 50) return; // progress at most 20 times a second: a message costs more than a batch
    last = now;
    post({ kind: 'progress', bytes, records });
  }, job.hash).then(
    (result) => post({ kind: 'done', result }),
    (e: unknown) => post({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }),
  );
});
