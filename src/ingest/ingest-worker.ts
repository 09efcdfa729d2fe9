/**
 * A worker thread of the ingest pool (ingest-pool.ts): reads the files it is given into extents of the
 * workspace, one at a time, or its part of a file split across threads (ingest-part.ts), and reports
 * progress, each extent written and the result. Extents are written without any lock (they are not part of
 * the workspace until the main thread commits them); schemas are the ones the job brought.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fixedTarget } from './file-load.js';
import { readFileIntoExtents, type ReadOptions } from './ingest-file.js';
import { PartReader } from './ingest-part.js';
import type { WorkerMessage, WorkerReply } from './ingest-protocol.js';

const { dir } = workerData as { dir: string };
const post = (m: WorkerReply, transfer?: ArrayBuffer[]) => parentPort!.postMessage(m, transfer);
const shared = (opts: WorkerMessage & { kind: 'file' | 'part' }): ReadOptions => ({
  ...opts.opts,
  onExtent: (table, id) => post({ kind: 'extent', table, id }),
});
let part: PartReader | undefined;

parentPort!.on('message', (m: WorkerMessage) => {
  switch (m.kind) {
    case 'file': {
      let last = 0;
      readFileIntoExtents(fixedTarget(dir, m.schemas), m.file, m.size, shared(m), (bytes, records) => {
        const now = Date.now();
        if (now - last < 50) return; // progress at most 20 times a second: a message costs more than a batch
        last = now;
        post({ kind: 'progress', bytes, records });
      }, m.cont).then(
        (result) => post({ kind: 'done', result }),
        (e: unknown) => post({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }),
      );
      return;
    }
    case 'part':
      try {
        part = new PartReader(dir, m.file, shared(m), m.schemas);
      } catch (e) {
        post({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
      }
      return;
    case 'block':
      part?.block(m.bytes, m.firstLine);
      // the block's memory goes back to be filled again: nothing read from it keeps a view of it (values are
      // copied into dictionaries, odd lines decoded to strings)
      post({ kind: 'block-done', bytes: m.bytes }, [m.bytes.buffer as ArrayBuffer]);
      return;
    case 'problem':
      part?.problem(m.line, m.problem);
      return;
    case 'part-end': {
      const result = part?.end();
      part = undefined;
      if (result) post({ kind: 'done', result });
      return;
    }
  }
});
