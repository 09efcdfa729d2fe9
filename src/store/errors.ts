/**
 * Errors a user meets when a workspace file is damaged or cannot be written: each names the file, what is
 * wrong with it and what to do, and carries no stack trace to the terminal (the CLI prints the message).
 */
import { readFileSync } from 'node:fs';
import { WorkspaceFileError } from '../common/damaged.js';

export class WorkspaceError extends WorkspaceFileError {}

/** Reads and parses a workspace JSON file; a file that is not JSON (or not what `check` wants) is a WorkspaceError. */
export function readJsonFile<T>(path: string, what: string, wayOut: string, check?: (v: unknown) => string | undefined): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw e;
    throw new WorkspaceError(`cannot read ${what} ${path}: ${err.code ?? err.message}. ${wayOut}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // JSON.parse quotes the text around the fault: kept to one line
    throw new WorkspaceError(`${what} ${path} is damaged (${(e as Error).message.replace(/\s+/g, ' ')}). ${wayOut}`);
  }
  const problem = check?.(value);
  if (problem) throw new WorkspaceError(`${what} ${path} is damaged (${problem}). ${wayOut}`);
  return value as T;
}

const DISK_CODES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EIO: 'the disk reported an I/O error',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EFBIG: 'the file is too large for the file system',
};

/** An error of a write, said in words (disk full, read-only, ...), or undefined for other errors. */
export function diskProblem(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code && DISK_CODES[code] ? `${DISK_CODES[code]} (${code})` : undefined;
}
