/**
 * One writer per workspace: the `lock` file, created exclusively (O_EXCL) by the process that writes, holding
 * its pid, host, start time and command. Readers never look at it. A second writer waits a bounded time and
 * then fails with a message naming the holder. A lock whose process is gone (killed, crashed, the machine
 * rebooted) is stale and taken over: on Linux the holder's boot id and process start time are compared too,
 * so a pid reused by another process does not keep a dead writer's lock alive. Breaking a stale lock is
 * itself guarded (`lock.break`, created exclusively), so two processes that both find it stale cannot each
 * remove the other's fresh lock.
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { insideWorkspace } from '../common/workspace-dir.js';
import { WorkspaceError } from './errors.js';

export interface LockOwner {
  pid: number;
  host: string;
  since: string;
  command: string;
  /** Linux: the boot id and the process's start time (clock ticks since boot), against pid reuse. */
  boot?: string;
  start?: string;
}

/** Another process holds the workspace's lock. */
export class WorkspaceBusyError extends WorkspaceError {}

const LOCK_FILE = 'lock';
const BREAK_FILE = 'lock.break';
/** A lock file that has been empty or unreadable this long was left by a process that died creating it. */
const UNREADABLE_STALE_MS = 10_000;
const held = new Set<string>();

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** A process's start time from /proc (field 22 of stat, after the parenthesised command name). */
function startTime(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function me(command: string): LockOwner {
  const boot = readProc('/proc/sys/kernel/random/boot_id');
  const start = startTime(process.pid);
  return { pid: process.pid, host: hostname(), since: new Date().toISOString(), command, ...(boot ? { boot } : {}), ...(start ? { start } : {}) };
}

/** Whether the lock's holder is certainly gone (on another host nothing is certain: it is kept). */
function stale(o: LockOwner): boolean {
  if (o.host !== hostname()) return false;
  if (!alive(o.pid)) return true;
  if (o.boot && o.boot !== readProc('/proc/sys/kernel/random/boot_id')) return true;
  return o.start !== undefined && startTime(o.pid) !== undefined && startTime(o.pid) !== o.start;
}

function readOwner(path: string): LockOwner | 'unreadable' | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const o = JSON.parse(text) as LockOwner;
    return Number.isInteger(o.pid) && typeof o.host === 'string' ? o : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

export class WriterLock {
  private released = false;

  private constructor(readonly path: string, readonly owner: LockOwner) {}

  /**
   * Takes the workspace's lock, waiting up to `waitMs` for another writer to finish. Throws WorkspaceBusyError
   * naming the holder when it does not, and a WorkspaceError when the workspace cannot be written at all.
   */
  static acquire(dir: string, opts: { waitMs?: number; command: string }): WriterLock {
    const path = insideWorkspace(dir, LOCK_FILE);
    if (held.has(path)) throw new Error(`this process already holds the lock of ${dir}`);
    const owner = me(opts.command);
    const deadline = Date.now() + (opts.waitMs ?? 10_000);
    for (;;) {
      try {
        const fd = openSync(path, 'wx');
        try {
          writeSync(fd, JSON.stringify(owner));
        } finally {
          closeSync(fd);
        }
        held.add(path);
        return new WriterLock(path, owner);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
          throw new WorkspaceError(`the workspace ${dir} is read-only (${code} creating ${path}): queries, hunts and serve can read it, but writing telemetry needs a folder kqlite can write`);
        }
        if (code !== 'EEXIST') throw e;
      }
      const holder = readOwner(path);
      if (holder === undefined) continue; // released meanwhile
      if (holder === 'unreadable' ? ageMs(path) > UNREADABLE_STALE_MS : stale(holder)) {
        breakStale(dir, path, holder);
        continue;
      }
      if (Date.now() >= deadline) throw new WorkspaceBusyError(busyMessage(dir, path, holder, opts.waitMs ?? 10_000));
      sleep(Math.min(100, Math.max(1, deadline - Date.now())));
    }
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this.path);
    const o = readOwner(this.path);
    if (o && o !== 'unreadable' && o.pid === this.owner.pid && o.since === this.owner.since) rmSync(this.path, { force: true });
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Removes a stale lock, unless someone else replaced it meanwhile (checked under `lock.break`). */
function breakStale(dir: string, path: string, seen: LockOwner | 'unreadable'): void {
  const guard = insideWorkspace(dir, BREAK_FILE);
  try {
    closeSync(openSync(guard, 'wx'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // another process is breaking it; a guard left by one that died doing so is removed after a while
    if (ageMs(guard) > UNREADABLE_STALE_MS) rmSync(guard, { force: true });
    else sleep(10);
    return;
  }
  try {
    const now = readOwner(path);
    const same = seen === 'unreadable' ? now === 'unreadable' : now !== undefined && now !== 'unreadable' && now.pid === seen.pid && now.since === seen.since;
    if (same) rmSync(path, { force: true });
  } finally {
    rmSync(guard, { force: true });
  }
}

function busyMessage(dir: string, path: string, o: LockOwner | 'unreadable', waitMs: number): string {
  const waited = `waited ${Math.round(waitMs / 1000)} s`;
  if (o === 'unreadable') return `the workspace ${dir} is locked by another writer (${path}, unreadable); ${waited}. Run again when it has finished.`;
  const where = o.host === hostname() ? `pid ${o.pid}` : `pid ${o.pid} on ${o.host}`;
  const gone = o.host === hostname() ? '' : ` If that process is gone, delete ${path}.`;
  return `the workspace ${dir} is being written by another kqlite (${where}, \`kqlite ${o.command}\`, since ${o.since}); ${waited}. Run again when it has finished, or give --wait SECONDS.${gone}`;
}
