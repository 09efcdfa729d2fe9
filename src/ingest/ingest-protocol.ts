/** Messages between the ingest pool and its worker threads, and the lock they share. */
import type { FileResult, ReadOptions } from './ingest-file.js';

export interface WorkerJob {
  file: string;
  size: number;
  opts: Omit<ReadOptions, 'onExtent' | 'appendLock'>;
  hash?: string;
}

export type WorkerReply =
  | { kind: 'progress'; bytes: number; records: number }
  | { kind: 'extent'; table: string; id: string }
  | { kind: 'done'; result: FileResult }
  | { kind: 'failed'; message: string };

/** Runs `f` holding the lock (an Int32Array over shared memory: 0 free, 1 held). */
export function withLock<T>(lock: Int32Array, f: () => T): T {
  while (Atomics.compareExchange(lock, 0, 0, 1) !== 0) Atomics.wait(lock, 0, 1, 100);
  try {
    return f();
  } finally {
    Atomics.store(lock, 0, 0);
    Atomics.notify(lock, 0, 1);
  }
}
