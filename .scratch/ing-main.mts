import { rmSync } from 'node:fs';
import { ingestPaths } from '/work/main/src/ingest/ingest.js';
import { Workspace } from '/work/main/src/ingest/workspace.js';
const files = process.argv.slice(2);
const ws = '/tmp/ing-prof-ws-' + process.pid;
rmSync(ws, { recursive: true, force: true });
const t0 = performance.now();
const r = await ingestPaths(Workspace.open(ws, { create: true }), files);
console.log(JSON.stringify({ ms: Math.round(performance.now() - t0), loaded: r.loaded, q: r.quarantined, cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000), rssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
