/**
 * Is the port `kqlite serve` / `kqlite start` wants free, and if not, who has it? Checked before anything
 * slow (`npm start` run a second time used to hunt the whole workspace, then die on EADDRINUSE): when a kqlite
 * server of the same workspace holds it, the running one is the answer; otherwise the message says how to
 * pick another port.
 */
import { createServer } from 'node:net';
import { realpathSync } from 'node:fs';

export type PortCheck = { free: true } | { free: false; url: string; workspace?: string };

/** The URL a browser on this machine uses for host:port (a wildcard address is reached through loopback). */
export function localUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port}`;
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? done(false) : fail(e)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => done(true)));
  });
}

/** Whether host:port is free; when taken, whether a kqlite server answers there and for which workspace. */
export async function checkPort(host: string, port: number): Promise<PortCheck> {
  if (port === 0 || (await canListen(host, port))) return { free: true };
  const url = localUrl(host, port);
  try {
    const res = await fetch(`${url}/api/status`, { signal: AbortSignal.timeout(2000), headers: { accept: 'application/json' } });
    const body = (await res.json()) as { workspace?: unknown };
    return typeof body.workspace === 'string' ? { free: false, url, workspace: body.workspace } : { free: false, url };
  } catch {
    return { free: false, url };
  }
}

export function sameDir(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  return real(a) === real(b);
}

/** Why the port cannot be used and what to do instead (`how` shows the command with --port). */
export function portInUse(check: { url: string; workspace?: string }, host: string, port: number, how: (port: string) => string, dir?: string): string {
  const who = check.workspace === undefined ? 'another program is listening there'
    : dir !== undefined && sameDir(check.workspace, dir) ? `kqlite already serves this workspace at ${check.url}/`
    : `a kqlite server of another workspace (${check.workspace}) answers there`;
  return `port ${port} on ${host} is in use: ${who}. Choose another port, e.g. ${how(String(port + 1 <= 65535 ? port + 1 : 7070))}, or --port 0 for any free one`;
}
