/** Messages between the ingest pool and its worker threads, and the lock they share. */
import { threadId } from 'node:worker_threads';
import type { FileResult, ReadOptions } from './ingest-file.js';

export interface WorkerJob {
  file: string;
  size: number;
  opts: Omit<ReadOptions, 'onExtent' | 'appendLock'>;
  hash?: string;
}

/**
 * To a worker: a whole file to read (`file`), or one part of a file split across threads: `part` opens it,
 * `block`s of whole lines follow (ingest-split.ts), `problem` is a line the splitter could not hand over,
 * and `part-end` asks for the part's result.
 */
export type WorkerMessage =
  | ({ kind: 'file' } & WorkerJob)
  | { kind: 'part'; file: string; opts: Omit<ReadOptions, 'onExtent' | 'appendLock'> }
  | { kind: 'block'; bytes: Uint8Array; firstLine: number }
  | { kind: 'problem'; line: number; problem: string }
  | { kind: 'part-end' };

export type WorkerReply =
  | { kind: 'progress'; bytes: number; records: number }
  | { kind: 'extent'; table: string; id: string }
  /** A block of a part has been read (the splitter sends the next one). */
  | { kind: 'block-done' }
  | { kind: 'done'; result: FileResult }
  | { kind: 'failed'; message: string };

/** Runs `f` holding the lock (an Int32Array over shared memory: 0 free, else the holder's thread id + 1). */
export function withLock<T>(lock: Int32Array, f: () => T): T {
  const me = threadId + 1;
  while (Atomics.compareExchange(lock, 0, 0, me) !== 0) Atomics.wait(lock, 0, Atomics.load(lock, 0), 100);
  try {
    return f();
  } finally {
    Atomics.store(lock, 0, 0);
    Atomics.notify(lock, 0, 1);
  }
}

/** Frees the lock if a thread that died held it (so the others do not wait for ever). */
export function releaseIfHeldBy(lock: Int32Array, deadThreadId: number): void {
  if (Atomics.compareExchange(lock, 0, deadThreadId + 1, 0) === deadThreadId + 1) Atomics.notify(lock, 0, 1);
}
