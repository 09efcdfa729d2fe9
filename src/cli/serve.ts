/**
 * `kqlite serve [--workspace DIR] [--port 7070] [--host 127.0.0.1] [--token T]`: the web app and JSON API.
 * On a non-loopback host every API request needs the token (from --token, $KQLITE_TOKEN, or generated
 * and printed here). Runs until interrupted; Ctrl+C closes the server and the findings database cleanly.
 */
import { existsSync } from 'node:fs';
import { isLoopback, newToken } from '../server/auth.js';
import { buildServer } from '../server/app.js';
import { checkPort, portInUse } from './port.js';
import { guarded, parseCommand, UsageError, workspaceDir } from './shared.js';

const HELP = `usage: kqlite serve [--workspace DIR] [--port 7070] [--host 127.0.0.1] [--token TOKEN] [--allow-host NAME ...] [--allow-ingest]

Serves the web app (feed, rule pages, coverage, findings, inventory, workbench) and its JSON API under /api/.
Binds 127.0.0.1 unless --host says otherwise; on any other host every API request needs the bearer token
(--token, $KQLITE_TOKEN, or one generated and printed at start). --port 0 picks a free port.
Requests must address the server by a name it is bound to (127.0.0.1, localhost, [::1], the --host value;
on 0.0.0.0 also this machine's addresses and host name); --allow-host adds a name (e.g. a DNS name behind
a proxy). Browser requests that change anything must come from the server's own pages.
The Kusto endpoint (/v1/rest/mgmt) answers the .show commands; --allow-ingest also lets clients add tables and
rows (.create-merge table, .ingest inline: what kqlite export into this server sends).`;

export async function run(args: string[]): Promise<number> {
  return guarded('serve', async () => {
    const p = parseCommand('serve', args, { workspace: { type: 'string', short: 'w' }, port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' }, 'allow-host': { type: 'string', multiple: true }, 'allow-ingest': { type: 'boolean' } }, HELP);
    if (!p) return 0;
    const v = p.values;
    const dir = workspaceDir(v.workspace);
    if (!existsSync(dir)) throw new UsageError(`no workspace at ${dir} (create one with kqlite demo or kqlite ingest, or run kqlite start)`);
    const port = v.port === undefined ? 7070 : Number(v.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number (0-65535), not '${v.port}'`);
    const host = v.host ?? '127.0.0.1';
    const given = v.token ?? process.env['KQLITE_TOKEN'];
    const token = given || (isLoopback(host) ? undefined : newToken());
    const allowHosts = v['allow-host'] ?? [];
    for (const h of allowHosts) if (!/^[A-Za-z0-9.:[\]-]{1,253}$/.test(h)) throw new UsageError(`--allow-host takes a host name or address, not '${h}'`);
    const check = await checkPort(host, port);
    if (!check.free) throw new Error(portInUse(check, host, port, (n) => `kqlite serve --port ${n}`, dir));
    const app = await buildServer({ workspaceDir: dir, host, allowHosts, allowIngest: v['allow-ingest'] === true, ...(token ? { token } : {}) });
    const address = await app.listen({ port, host }).catch(async (e: NodeJS.ErrnoException) => {
      await app.close();
      throw e.code === 'EADDRINUSE' ? new Error(portInUse({ url: '' }, host, port, (n) => `kqlite serve --port ${n}`)) : e;
    });
    const url = address.replace('://[::1]', '://localhost');
    process.stdout.write(`kqlite: serving ${dir} at ${url}/\n`);
    if (token) process.stdout.write(`kqlite: API token${given ? ' (given)' : ' (generated)'}: ${given ? '***' : token}\n  open ${url}/?token=${given ? '<token>' : token}\n`);
    process.stdout.write('kqlite: press Ctrl+C to stop\n');
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void app.close().then(done);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  });
}
