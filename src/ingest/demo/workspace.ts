/** Writes the demo telemetry into a workspace, with its scenario manifest (demo-manifest.json) beside it. */
import { writeFileSync } from 'node:fs';
import { insideWorkspace } from '../../common/workspace-dir.js';
import { Workspace } from '../../store/workspace.js';
import { WorkspaceWriter } from '../../store/writer.js';
import { generateDemo, type DemoManifest, type DemoOptions } from './generate.js';

export const MANIFEST_FILE = 'demo-manifest.json';

/** Creates the demo in `dir` as one commit, holding the workspace's writer lock while it writes. */
export function createDemoWorkspace(dir: string, opts: DemoOptions = {}): { workspace: Workspace; manifest: DemoManifest; rows: Record<string, number> } {
  const ws = Workspace.open(dir, { create: true });
  const writer = WorkspaceWriter.open(dir, { command: 'demo' });
  try {
    const existing = writer.tableStates().filter((t) => t.extents.length).map((t) => t.name);
    if (existing.length) throw new Error(`${dir} already holds telemetry (${existing.join(', ')}); use an empty folder for the demo`);
    const demo = generateDemo(opts);
    const rows: Record<string, number> = {};
    for (const t of demo.tables) {
      const e = writer.writeExtent(t.name, t.table, 'kqlite demo');
      writer.stage({ extents: [{ ...e, table: t.name }], schemas: [{ ...t.schema, name: t.name }] });
      rows[t.name] = t.table.length;
    }
    writer.commit();
    writeFileSync(insideWorkspace(dir, MANIFEST_FILE), JSON.stringify(demo.manifest, null, 1));
    return { workspace: ws, manifest: demo.manifest, rows };
  } finally {
    writer.close();
  }
}
