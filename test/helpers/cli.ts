// Test helper: run `kqlite <args>` in a child process (source via tsx) and capture what it prints.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isBuildFresh } from '../../scripts/build-state.mjs';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The signal that ended the process, if one did (a fault injected with KQLITE_FAULT kills with SIGKILL). */
  signal?: NodeJS.Signals;
}

const SOURCE_ENTRY = resolve('test/helpers/kqlite-cli.ts');
// tsx's loader by absolute URL, so commands can run with any working directory
const TSX = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;
const BUILT_ENTRY = resolve('bin/kqlite.js');

let checked = false;
/**
 * How a test starts `kqlite`: the built command line (bin/kqlite.js over dist/), which is what users run and
 * starts in a fraction of the time tsx takes to load the sources; `source: true` (or KQLITE_TEST_CLI=source)
 * runs src/ through tsx instead, for the tests that compare the two. A stale dist/ is an error, not a silent
 * test of old code: `npm test` builds it first (scripts/prepare.mjs).
 */
export function cliArgv(source = false): string[] {
  if (source || process.env['KQLITE_TEST_CLI'] === 'source') return ['--import', TSX, SOURCE_ENTRY];
  if (!checked) {
    if (!isBuildFresh()) throw new Error('dist/ is older than src/ (or missing): run `npm run build` first (`npm test` does it), or set KQLITE_TEST_CLI=source');
    checked = true;
  }
  return [BUILT_ENTRY];
}

export function runCli(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; /** Node's own flags, e.g. --max-old-space-size=128. */ nodeArgs?: string[]; /** Run src/ through tsx instead of the build. */ source?: boolean } = {},
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...cliArgv(opts.source), ...args], {
      cwd: opts.cwd ?? process.cwd(),
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code: code ?? 1, stdout, stderr, ...(signal ? { signal } : {}) });
    });
    child.stdin.end(opts.input ?? '');
  });
}

export interface ServedCli {
  /** e.g. http://127.0.0.1:43121 */
  url: string;
  /** Everything the server printed so far. */
  output(): string;
  /** Sends SIGINT and waits for the exit code. */
  stop(): Promise<number>;
}

/** Starts a long-running `kqlite <args>` (serve, start) and resolves once it prints the address it serves. */
export function serveCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ServedCli> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...cliArgv(), ...args], { cwd: opts.cwd ?? process.cwd(), env: { ...process.env, NO_COLOR: '1', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<number>((r) => child.on('close', (code) => r(code ?? 1)));
    const timer = setTimeout(() => { child.kill('SIGKILL'); fail(new Error(`no address printed within the time limit:\n${out}`)); }, opts.timeoutMs ?? 60_000);
    const onData = (d: Buffer) => {
      out += d.toString('utf8');
      const m = /serving .* at (http:\/\/[^\s/]+)\//.exec(out);
      if (m && /press Ctrl\+C/.test(out)) {
        clearTimeout(timer);
        done({ url: m[1]!, output: () => out, stop: () => { child.kill('SIGINT'); return exited; } });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => { clearTimeout(timer); fail(new Error(`exited with ${code} before serving:\n${out}`)); });
  });
}

/** Starts `kqlite <args>` and hands back the child (to signal it) and what it printed when it ends. */
export function startCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { pid: number; kill(signal: NodeJS.Signals): void; done: Promise<CliResult & { signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, [...cliArgv(), ...args], { cwd: opts.cwd ?? process.cwd(), env: { ...process.env, NO_COLOR: '1', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? 1, signal, stdout, stderr })));
  return { pid: child.pid!, kill: (signal) => child.kill(signal), done };
}

export interface FollowedCli {
  /** Everything printed on stdout so far. */
  output(): string;
  /** Resolves with the output once `pattern` matches what was printed after `from` characters; rejects after timeoutMs. */
  waitFor(pattern: RegExp, opts?: { from?: number; timeoutMs?: number }): Promise<string>;
  /** Sends SIGINT and waits for the exit code. */
  stop(): Promise<number>;
}

/** Starts a long-running `kqlite <args>` (e.g. `test --watch`) whose output a test follows as it comes. */
export function followCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): FollowedCli {
  const child = spawn(process.execPath, [...cliArgv(), ...args], { cwd: opts.cwd ?? process.cwd(), env: { ...process.env, NO_COLOR: '1', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const l of listeners) l();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const l of listeners) l();
  });
  const exited = new Promise<number>((r) => child.on('close', (code) => r(code ?? 1)));
  return {
    output: () => out,
    waitFor: (pattern, o = {}) => new Promise((done, fail) => {
      const check = () => {
        if (pattern.test(out.slice(o.from ?? 0))) {
          listeners.delete(check);
          clearTimeout(timer);
          done(out);
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        fail(new Error(`${pattern} not printed within ${o.timeoutMs ?? 30_000} ms; output:\n${out}`));
      }, o.timeoutMs ?? 30_000);
      listeners.add(check);
      check();
    }),
    stop: () => {
      child.kill('SIGINT');
      const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
      return exited.finally(() => clearTimeout(hard));
    },
  };
}
