/**
 * What every workspace command shares: argument parsing that reports bad flags and stray words as one clear
 * line plus the usage, the workspace directory, and output helpers.
 */
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { WorkspaceFileError } from '../common/damaged.js';
import { resolveWorkspaceDir } from '../common/workspace-dir.js';
import { printable, printableLine } from '../common/printable.js';

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * The words a command (or sub-command) takes besides its options, in order, as its usage line writes them:
 * `<dir>` one required, `[dir]` one optional, `<files...>` one or more, `[paths...]` any number. A word
 * beyond them is refused with the usage line rather than ignored (`kqlite hunt bogus-word` used to run a hunt).
 */
export type Positionals = readonly string[];

/**
 * Options declared `multiple` take every following word up to the next option: `--rules A B C` is
 * `--rules A --rules B --rules C`, as `[--rules SELECTOR ...]` in a usage line reads. (Node's parseArgs takes
 * one value per flag and would leave B and C as positionals.)
 */
function expandMultiValues(args: readonly string[], options: Options): string[] {
  const multi = new Set<string>();
  for (const [name, o] of Object.entries(options)) {
    if (o.type !== 'string' || !o.multiple) continue;
    multi.add(`--${name}`);
    if (o.short) multi.add(`-${o.short}`);
  }
  const out: string[] = [];
  let flag: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (a.startsWith('-') && a.length > 1) {
      const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
      flag = multi.has(name) ? name : undefined;
      out.push(a);
      // `--rules A`: the first value is the flag's own; later words repeat the flag
      if (flag && !a.includes('=') && i + 1 < args.length && !isOption(args[i + 1]!)) out.push(args[++i]!);
      continue;
    }
    if (flag) out.push(flag, a);
    else out.push(a);
  }
  return out;
}

const isOption = (a: string) => a.startsWith('-') && a.length > 1;

/** Checks the words against a positional spec; returns them, or throws the reason with the usage line. */
export function checkPositionals(command: string, words: readonly string[], spec: Positionals, help: string): string[] {
  let required = 0;
  let max = 0;
  for (const p of spec) {
    if (p.startsWith('<')) required++;
    max = p.endsWith('...>') || p.endsWith('...]') ? Infinity : max + 1;
  }
  if (words.length > max) {
    const extra = words.slice(max);
    const takes = spec.length ? `takes ${spec.join(' ')}` : 'takes no arguments besides its options';
    throw new UsageError(`unexpected argument${extra.length > 1 ? 's' : ''} ${extra.map((w) => `'${w}'`).join(' ')} ('${command}' ${takes})\n${help}`);
  }
  if (words.length < required) {
    const missing = spec.filter((p) => p.startsWith('<'))[words.length]!;
    throw new UsageError(`'${command}' needs ${missing}\n${help}`);
  }
  return [...words];
}

function parse<O extends Options>(args: readonly string[], options: O) {
  const all = { ...options, help: { type: 'boolean', short: 'h' } } as O & { help: { type: 'boolean'; short: 'h' } };
  return parseArgs({ args: expandMultiValues(args, options), options: all, allowPositionals: true, strict: true, tokens: true });
}

/** The options and words of `args`, or undefined when `--help` was asked for (the help is printed). */
function parseOrHelp<O extends Options>(args: string[], options: O, help: string) {
  let parsed;
  try {
    parsed = parse(args, options);
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${help}`);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(help + '\n');
    return undefined;
  }
  return parsed;
}

/**
 * Parses a command's arguments: its options (unknown ones refused), and the words it takes (`positionals`,
 * default none). `--help` prints the help and returns undefined.
 */
export function parseCommand<O extends Options>(command: string, args: string[], options: O, help: string, positionals: Positionals = []) {
  const parsed = parseOrHelp(args, options, help);
  if (!parsed) return undefined;
  return { values: parsed.values, positionals: checkPositionals(command, parsed.positionals, positionals, help), tokens: parsed.tokens };
}

/** What one sub-command (`rules show`, `findings set`) takes: its words and the options it uses. */
export interface SubCommand { positionals: Positionals; options: readonly string[] }

/**
 * Parses `kqlite <command> <sub> ...`: the first word names the sub-command (`fallback` when there is none),
 * the rest must fit its positionals, and every option given must be one it uses (`--workspace` and `--help`
 * are everyone's): `findings show ID --status new` is refused, not quietly ignored.
 */
export function parseSubcommand<O extends Options>(command: string, args: string[], options: O, help: string, subs: Record<string, SubCommand>, fallback?: string) {
  const parsed = parseOrHelp(args, options, help);
  if (!parsed) return undefined;
  const [first, ...rest] = parsed.positionals;
  const sub = first ?? fallback;
  if (sub === undefined) throw new UsageError(`'${command}' needs a sub-command (${Object.keys(subs).join(', ')})\n${help}`);
  const spec = subs[sub];
  if (!spec) throw new UsageError(`unknown sub-command '${sub}' ('${command}' has ${Object.keys(subs).join(', ')})\n${help}`);
  const positionals = checkPositionals(`${command} ${sub}`, rest, spec.positionals, help);
  refuseUnusedOptions(`${command} ${sub}`, parsed.tokens, spec.options, help);
  return { sub, values: parsed.values, positionals };
}

/** Refuses options the (sub-)command was given but does not use. */
export function refuseUnusedOptions(what: string, tokens: readonly { kind: string; name?: string; rawName?: string }[] | undefined, used: readonly string[], help: string): void {
  const allowed = new Set([...used, 'workspace', 'help']);
  const unused = [...new Set((tokens ?? []).filter((t) => t.kind === 'option' && !allowed.has(t.name!)).map((t) => `--${t.name}`))];
  if (unused.length) throw new UsageError(`${unused.join(', ')} ${unused.length > 1 ? 'are not options' : 'is not an option'} of '${what}'\n${help}`);
}

/** Runs a command body; errors become one `kqlite <command>: message` line and exit code 1. */
export async function guarded(command: string, body: () => Promise<number> | number): Promise<number> {
  try {
    return await body();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // a change refused by a read-only folder or file system (ingest and compact say so themselves, at the lock)
    if (code === 'EROFS' || code === 'SQLITE_READONLY') {
      process.stderr.write(`kqlite ${command}: ${describeError(e)}; the workspace is read-only: kqlite can read it (tables, query, hunt, serve) but not change it\n`);
      return 1;
    }
    reportError(`kqlite ${command}`, e);
    return 1;
  }
}

/**
 * Prints an error as one line a user can act on (what went wrong, where, what to do), and its stack only
 * when KQLITE_DEBUG is set: a JavaScript stack is for whoever fixes kqlite, not for whoever runs it.
 */
export function reportError(prefix: string, e: unknown): void {
  process.stderr.write(`${prefix}: ${printable(describeError(e))}\n`);
  if (process.env['KQLITE_DEBUG'] && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
}

const FS_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or folder', EACCES: 'permission denied', EPERM: 'not permitted', ENOSPC: 'the disk is full', EROFS: 'the file system is read-only',
  EISDIR: 'is a folder, not a file', ENOTDIR: 'a part of the path is not a folder', EMFILE: 'too many open files', EIO: 'an input/output error (a failing disk?)', EEXIST: 'already exists',
};

/** An error as one line: kqlite's own errors say it already; the system's and the JavaScript engine's are put into words. */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  if (e instanceof UsageError || e instanceof WorkspaceFileError) return e.message;
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

/** A path as it is on disk: the deepest part that exists with its links resolved, the rest as given. */
function realPathOf(path: string): string {
  const abs = resolve(path);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = dirname(abs);
  return parent === abs ? abs : resolve(realPathOf(parent), basename(abs));
}

/**
 * Refuses a report, layer, scaffold or site written into the workspace folder (`--html`, `--navigator`,
 * `--out`): every file there is kqlite's own (manifest, findings database, extents, sources), and one
 * replaced by a report is a damaged workspace. Links are followed, so `report.html -> ws/manifest.json` is
 * caught too.
 */
export function refuseInsideWorkspace(flag: string, target: string, workspace: string): void {
  if (!existsSync(workspace)) return;
  const ws = realpathSync(workspace);
  const rel = relative(ws, realPathOf(target));
  if (rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel))) {
    throw new UsageError(`${flag} ${target}: that is inside the workspace ${workspace}, whose files are kqlite's own (writing there could replace one of them): write it elsewhere`);
  }
}

/** An aligned plain-text table. */
export function textTable(headers: string[], rows: (string | number | undefined)[][]): string {
  // a table's cells are one line each: names and values from outside cannot break or restyle the terminal
  const cells = rows.map((r) => r.map((c) => (c === undefined ? '' : printableLine(String(c)))));
  const widths = headers.map((h, i) => Math.min(60, Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length))));
  const line = (r: string[]) => r.map((c, i) => (c.length > widths[i]! ? c.slice(0, widths[i]! - 1) + '…' : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}

/**
 * An integer with thousands separators, as `n.toLocaleString('en-US')` writes it ("1,234,567", "-1,234"),
 * without starting ICU's number formatting, which took 10-30 ms on first use in every command that printed a
 * count. Anything but a safe integer (and -0) is left to toLocaleString.
 */
export function thousands(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

export const useColor = () => !!process.stdout.isTTY && !process.env['NO_COLOR'];
export const color = (code: number, s: string) => (useColor() ? `\x1b[${code}m${s}\x1b[0m` : s);
