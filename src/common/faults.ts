/**
 * Fault injection for tests of crash safety: `KQLITE_FAULT=<point>[:<action>][@<n>],...` makes the process
 * fail at a named point of the code the n-th time it passes there (default the first). Actions: `kill`
 * (default: SIGKILL of the whole process, as a power cut or an OOM kill would end it, with no chance to clean
 * up) and `enospc` / `eio` (the write there fails as a full or broken disk makes it fail). Only tests set the
 * variable; unset, a fault point costs one Map lookup.
 * Points are named `<area>-<step>` (see faultPoint calls): e.g. `extent-written`, `commit-manifest-temp`.
 */
import type * as WorkerThreads from 'node:worker_threads';
import { lazyPackage } from './lazy-package.js';

// node:worker_threads on first use: a command that reaches this module without using it (every hunt and
// query) does not load it (~2-3 ms)
const workerThreads = lazyPackage<typeof WorkerThreads>('node:worker_threads');

interface Fault {
  action: 'kill' | 'enospc' | 'eio';
  at: number;
  seen: number;
}

let faults: Map<string, Fault> | undefined;

function parse(spec: string): Map<string, Fault> {
  const m = new Map<string, Fault>();
  for (const part of spec.split(',')) {
    const r = /^\s*([a-z0-9-]+)(?::(kill|enospc|eio))?(?:@(\d+))?\s*$/.exec(part);
    if (r) m.set(r[1]!, { action: (r[2] ?? 'kill') as Fault['action'], at: Number(r[3] ?? 1), seen: 0 });
  }
  return m;
}

/** Passes the fault point `name`: kills the process or throws an I/O error there when KQLITE_FAULT asks for it. */
export function faultPoint(name: string): void {
  faults ??= parse(process.env['KQLITE_FAULT'] ?? '');
  const f = faults.get(name);
  if (!f || ++f.seen !== f.at) return;
  if (f.action === 'kill') {
    process.kill(process.pid, 'SIGKILL');
    // SIGKILL is delivered asynchronously to a worker thread's process: nothing after this point may run
    for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
  }
  const code = f.action === 'enospc' ? 'ENOSPC' : 'EIO';
  const text = code === 'ENOSPC' ? 'no space left on device' : 'i/o error';
  throw Object.assign(new Error(`${code}: ${text}, write (injected at ${name}, thread ${workerThreads().threadId})`), { code, errno: code === 'ENOSPC' ? -28 : -5, syscall: 'write' });
}
