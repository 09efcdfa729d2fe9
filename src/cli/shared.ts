/**
 * What every workspace command shares: argument parsing that reports bad flags as one clear line, the
 * workspace directory, the rule set (built-in pack + imports) and output helpers.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
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
    const code = (e as NodeJS.ErrnoException).code;
    // a change refused by a read-only folder or file system (ingest and compact say so themselves, at the lock)
    const readOnly = code === 'EROFS' || code === 'SQLITE_READONLY' ? '; the workspace is read-only: kqlite can read it (tables, query, hunt, serve) but not change it' : '';
    process.stderr.write(`kqlite ${command}: ${(e as Error).message}${readOnly}\n`);
    return 1;
  }
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
