// Child process of the workspace tests: appends `count` extents of `rows` rows to the Sample table of the
// workspace at `dir`, pausing between them, as a concurrent ingest would.
import { Workspace } from '../../src/store/workspace.js';
import { SAMPLE_SCHEMA, sampleTable } from './sample-tables.js';

const [dir, count, rows] = process.argv.slice(2) as [string, string, string];
const ws = Workspace.open(dir);
for (let i = 0; i < Number(count); i++) {
  ws.append('Sample', SAMPLE_SCHEMA, sampleTable(10 + i, Number(rows)));
  await new Promise((r) => setTimeout(r, 15));
}
