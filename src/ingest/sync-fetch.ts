/**
 * One HTTP(S) GET, synchronously: the query engine runs synchronously (a query or a whole hunt is one
 * call), so externaldata's download runs on a short-lived worker thread while this thread waits on a
 * shared flag (Atomics.wait) and then takes the answer off a message port (receiveMessageOnPort). The
 * worker enforces the caps: the body is read in chunks and dropped past maxBytes, and the request is
 * aborted at timeoutMs.
 */
import type * as WorkerThreads from 'node:worker_threads';
import { lazyPackage } from '../common/lazy-package.js';

export type FetchOutcome =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; reason: 'http'; status: number; statusText: string }
  | { ok: false; reason: 'size'; bytes: number }
  | { ok: false; reason: 'timeout' }
  | { ok: false; reason: 'network'; message: string };

/** node:worker_threads when a download first runs: a hunt or query that fetches nothing never loads it. */
const workerThreads = lazyPackage<typeof WorkerThreads>('node:worker_threads');

// CommonJS, run with eval: no file to locate from dist/ or from source
const WORKER = `
const { workerData } = require('node:worker_threads');
const { url, maxBytes, timeoutMs, flag, port } = workerData;
const done = (msg, transfer) => { port.postMessage(msg, transfer || []); Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };
(async () => {
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; ctl.abort(); }, timeoutMs);
  try {
    const res = await fetch(url, { signal: ctl.signal, redirect: 'follow', headers: { 'user-agent': 'kqlite externaldata' } });
    if (!res.ok) { ctl.abort(); return done({ ok: false, reason: 'http', status: res.status, statusText: res.statusText }); }
    const declared = Number(res.headers.get('content-length'));
    if (declared > maxBytes) { ctl.abort(); return done({ ok: false, reason: 'size', bytes: declared }); }
    const chunks = [];
    let total = 0;
    for await (const c of res.body) {
      total += c.length;
      if (total > maxBytes) { ctl.abort(); return done({ ok: false, reason: 'size', bytes: total }); }
      chunks.push(c);
    }
    const buf = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) { buf.set(c, at); at += c.length; }
    done({ ok: true, bytes: buf }, [buf.buffer]);
  } catch (e) {
    if (timedOut) return done({ ok: false, reason: 'timeout' });
    done({ ok: false, reason: 'network', message: String((e && e.cause && e.cause.message) || (e && e.message) || e) });
  } finally {
    clearTimeout(timer);
  }
})();
`;

export function fetchSync(url: string, maxBytes: number, timeoutMs: number): FetchOutcome {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { MessageChannel, receiveMessageOnPort, Worker } = workerThreads();
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER, { eval: true, workerData: { url, maxBytes, timeoutMs, flag, port: port2 }, transferList: [port2] });
  try {
    // the worker's own timer ends the request; the extra second covers its start-up
    const waited = Atomics.wait(flag, 0, 0, timeoutMs + 1000);
    const msg = receiveMessageOnPort(port1)?.message as FetchOutcome | undefined;
    if (waited === 'timed-out' || !msg) return { ok: false, reason: 'timeout' };
    return msg;
  } finally {
    void worker.terminate();
    port1.close();
  }
}
