/**
 * What every workspace command shares: argument parsing that reports bad flags as one clear line, the
 * workspace directory, the rule set (built-in pack + imports) and output helpers.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DamagedFileError } from '../common/damaged.js';
import { resolveWorkspaceDir } from '../common/workspace-dir.js';

export class UsageError extends Error {}

export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: O, help: string) {
  try {
    const parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    if ((parsed.values as { help?: boolean }).help) {
      process.stdout.write(help + '\n');
      return undefined;
    }
    return parsed;
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${help}`);
  }
}

/** Runs a command body; errors become one `kqlite <command>: message` line and exit code 1. */
export async function guarded(command: string, body: () => Promise<number> | number): Promise<number> {
  try {
    return await body();
  } catch (e) {
    reportError(`kqlite ${command}`, e);
    return 1;
  }
}

/**
 * Prints an error as one line a user can act on (what went wrong, where, what to do), and its stack only
 * when KQLITE_DEBUG is set: a JavaScript stack is for whoever fixes kqlite, not for whoever runs it.
 */
export function reportError(prefix: string, e: unknown): void {
  process.stderr.write(`${prefix}: ${describeError(e)}\n`);
  if (process.env['KQLITE_DEBUG'] && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
}

const FS_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or folder', EACCES: 'permission denied', EPERM: 'not permitted', ENOSPC: 'the disk is full', EROFS: 'the file system is read-only',
  EISDIR: 'is a folder, not a file', ENOTDIR: 'a part of the path is not a folder', EMFILE: 'too many open files', EIO: 'an input/output error (a failing disk?)', EEXIST: 'already exists',
};

/** An error as one line: kqlite's own errors say it already; the system's and the JavaScript engine's are put into words. */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  if (e instanceof UsageError || e instanceof DamagedFileError) return e.message;
  const err = e as NodeJS.ErrnoException;
  if (typeof err.code === 'string' && err.code.startsWith('SQLITE_')) {
    const damaged = err.code === 'SQLITE_NOTADB' || err.code.startsWith('SQLITE_CORRUPT');
    return `the findings database (findings.sqlite in the workspace) ${damaged ? 'is damaged' : 'failed'}: ${err.message}${damaged ? '; move it aside (its findings, triage and allowances go with it) or restore a backup' : ''}`;
  }
  if (typeof err.code === 'string' && FS_PROBLEMS[err.code]) return `cannot ${err.syscall ?? 'use'} ${err.path ?? 'a file'}: ${FS_PROBLEMS[err.code]}`;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'the input is nested too deeply to process (thousands of levels of brackets or operators): simplify it';
  if (e instanceof RangeError && /allocation failed|invalid (typed )?array length|invalid string length/i.test(e.message)) {
    return `ran out of memory (${e.message}): narrow the input, or give Node more heap (node --max-old-space-size=MB)`;
  }
  // JSON.parse's error: a file kqlite read is damaged in a way no read site expected
  if (e instanceof SyntaxError) return `a file kqlite read is damaged: ${e.message} (KQLITE_DEBUG=1 shows which read)`;
  // TypeError, ReferenceError and the like are kqlite's own mistakes; a plain Error is a message written for users
  if (e instanceof TypeError || e instanceof ReferenceError || e instanceof RangeError || e instanceof EvalError || e instanceof URIError) {
    return `internal error: ${e.message} (a bug in kqlite; KQLITE_DEBUG=1 shows where it happened)`;
  }
  return e.message;
}

/** A size such as `512MB`, `2GiB`, `1g` or a number of bytes; null when it is not one. */
export function parseByteSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(text);
  if (!m) return null;
  const bytes = Number(m[1]) * 1024 ** ' kmgt'.indexOf((m[2] || ' ').toLowerCase());
  return bytes >= 1 && Number.isFinite(bytes) ? Math.floor(bytes) : null;
}

export function workspaceDir(flag: string | undefined): string {
  return resolveWorkspaceDir(flag);
}

export function checkFormat(value: string | undefined, allowed: readonly string[]): string {
  const v = value ?? allowed[0]!;
  if (!allowed.includes(v)) throw new UsageError(`--format must be ${allowed.join(', ')}, not '${v}'`);
  return v;
}

/** An aligned plain-text table. */
export function textTable(headers: string[], rows: (string | number | undefined)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === undefined ? '' : String(c))));
  const widths = headers.map((h, i) => Math.min(60, Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length))));
  const line = (r: string[]) => r.map((c, i) => (c.length > widths[i]! ? c.slice(0, widths[i]! - 1) + '…' : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}

export const useColor = () => !!process.stdout.isTTY && !process.env['NO_COLOR'];
export const color = (code: number, s: string) => (useColor() ? `\x1b[${code}m${s}\x1b[0m` : s);
