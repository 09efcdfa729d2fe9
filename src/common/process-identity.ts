/**
 * Who is doing something, precisely enough to tell later whether it still is: the process id, the host,
 * and (on Linux) the process's start time, so a pid the system reused for another process does not pass
 * for the one that died. Records of work in progress (a hunt run) keep this; whoever opens them next
 * ends the ones whose process is gone.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessIdentity {
  pid: number;
  host: string;
  /** The start time in clock ticks since boot (field 22 of /proc/<pid>/stat); '' where there is no /proc. */
  started: string;
}

function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) is in parentheses and may hold spaces: count fields after its ')'
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function currentProcess(): ProcessIdentity {
  return { pid: process.pid, host: hostname(), started: startTimeOf(process.pid) ?? '' };
}

/**
 * Whether the process `p` names is still running: false when it is known to be gone (no such pid, or
 * that pid now belongs to a process started at another time); true when it is, or when this machine
 * cannot tell (another host).
 */
export function stillRunning(p: ProcessIdentity): boolean {
  if (p.host !== hostname()) return true;
  try {
    process.kill(p.pid, 0);
  } catch (e) {
    // EPERM: it exists but belongs to someone else
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (!p.started) return true;
  const now = startTimeOf(p.pid);
  return now === undefined || now === p.started;
}
