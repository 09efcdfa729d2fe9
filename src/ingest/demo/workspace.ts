/** Writes the demo telemetry into a workspace, with its scenario manifest (manifest.json) beside it. */
import { writeFileSync } from 'node:fs';
import { insideWorkspace } from '../../common/workspace-dir.js';
import { Workspace } from '../../store/workspace.js';
import { generateDemo, type DemoManifest, type DemoOptions } from './generate.js';

export const MANIFEST_FILE = 'demo-manifest.json';

export function createDemoWorkspace(dir: string, opts: DemoOptions = {}): { workspace: Workspace; manifest: DemoManifest; rows: Record<string, number> } {
  const ws = Workspace.open(dir, { create: true });
  if (ws.tableNames().length) throw new Error(`${dir} already holds telemetry (${ws.tableNames().join(', ')}); use an empty folder for the demo`);
  const demo = generateDemo(opts);
  const rows: Record<string, number> = {};
  for (const t of demo.tables) {
    ws.append(t.name, t.schema, t.table, 'kqlite demo');
    rows[t.name] = t.table.length;
  }
  writeFileSync(insideWorkspace(dir, MANIFEST_FILE), JSON.stringify(demo.manifest, null, 1));
  return { workspace: ws, manifest: demo.manifest, rows };
}
