// Child process of the crash tests: runs one ingest of `files` into the workspace `dir` with the options given
// as JSON (small extents, threads), and prints its report; KQLITE_FAULT in its environment may kill it.
import { ingestPaths, Workspace } from '../../src/ingest/index.js';

const [dir, opts, ...files] = process.argv.slice(2) as [string, string, ...string[]];
const report = await ingestPaths(Workspace.open(dir, { create: true }), files, JSON.parse(opts) as object);
process.stdout.write(JSON.stringify({ read: report.read, loaded: report.loaded, quarantined: report.quarantined, stopped: report.stopped ?? null }));
