/**
 * A workspace file that cannot be used as it is (cut short by a crash, edited by hand, a disk error): the
 * error says which file, what is wrong with it and what to do, in one line, so every command that reads
 * the workspace can print it as it is. Read sites wrap their parsing in `readJsonFile` (or throw
 * `DamagedFileError` themselves) with the remedy that fits the file.
 */
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';

/**
 * An error about a workspace file whose message is already complete for the user (which file, what is
 * wrong, what to do): the CLI prints it as it is and the engine ends a query with KQL4007, never an internal
 * error. DamagedFileError here and the store's WorkspaceError are both kinds of it.
 */
export class WorkspaceFileError extends Error {}

export class DamagedFileError extends WorkspaceFileError {
  constructor(
    /** The file, relative to the workspace when it is inside one. */
    readonly file: string,
    /** What is wrong with it. */
    readonly problem: string,
    /** What to do about it. */
    readonly remedy: string,
  ) {
    super(`${file} is damaged: ${problem}; ${remedy}`);
    this.name = 'DamagedFileError';
  }
}

/** `file` as a user sees it: relative to the workspace folder when inside it. */
export function workspacePath(workspaceDir: string | undefined, file: string): string {
  if (!workspaceDir) return file;
  const rel = relative(workspaceDir, file);
  return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : file;
}

/**
 * Reads and parses a JSON file; text that is not JSON, or JSON that `check` refuses (it returns what is
 * wrong), becomes a DamagedFileError with `remedy`. A missing or unreadable file stays the file system's
 * error (the caller decides whether absence is normal).
 */
export function readJsonFile<T>(file: string, remedy: string, opts: { workspaceDir?: string; check?: (v: unknown) => string | undefined } = {}): T {
  const text = readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new DamagedFileError(workspacePath(opts.workspaceDir, file), text.trim() ? `not valid JSON (${(e as Error).message})` : 'empty', remedy);
  }
  const wrong = opts.check?.(value);
  if (wrong) throw new DamagedFileError(workspacePath(opts.workspaceDir, file), wrong, remedy);
  return value as T;
}

/** Whether `v` is a plain JSON object (not an array, not null). */
export const isJsonObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
