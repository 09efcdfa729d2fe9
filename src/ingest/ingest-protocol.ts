/** Messages between the ingest pool and its worker threads. */
import type { TableSchema } from '../kql/semantics/types.js';
import type { FileResult, ReadOptions } from './ingest-file.js';
import type { Continuation } from './source.js';

export interface WorkerJob {
  file: string;
  size: number;
  opts: Omit<ReadOptions, 'onExtent'>;
  /** A grown file: where it continues (see source.ts). */
  cont?: Continuation;
  /** The tables' schemas as the writer saw them when the job was sent (loads beside others are frozen to them). */
  schemas: TableSchema[];
}

/**
 * To a worker: a whole file to read (`file`), or one part of a file split across threads: `part` opens it,
 * `block`s of whole lines follow (ingest-split.ts), `problem` is a line the splitter could not hand over,
 * and `part-end` asks for the part's result.
 */
export type WorkerMessage =
  | ({ kind: 'file' } & WorkerJob)
  | { kind: 'part'; file: string; opts: Omit<ReadOptions, 'onExtent'>; schemas: TableSchema[] }
  | { kind: 'block'; bytes: Uint8Array; firstLine: number }
  | { kind: 'problem'; line: number; problem: string }
  | { kind: 'part-end' };

export type WorkerReply =
  | { kind: 'progress'; bytes: number; records: number }
  | { kind: 'extent'; table: string; id: string }
  /** A block of a part has been read (the splitter sends the next one); its memory comes back for the next. */
  | { kind: 'block-done'; bytes?: Uint8Array }
  | { kind: 'done'; result: FileResult }
  | { kind: 'failed'; message: string };
