/**
 * The database a kqlite server presents to Kusto clients: the workspace's tables (with data or created by
 * `.create-merge table`), named `kqlite`. Writes go through the same ingest as `kqlite ingest` (ledger,
 * quarantine, the workspace's writer rules).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyTable } from '../../engine/storage/builders.js';
import { LOCAL_DATABASE } from '../../engine/source.js';
import { ingestPaths } from '../../ingest/index.js';
import type { ServerContext } from '../context.js';
import { VERSION } from '../routes/status.js';
import type { MgmtColumn, MgmtTarget } from './mgmt.js';

/** The workspace's database name, which current_database() also returns. */
export const KUSTO_DATABASE = LOCAL_DATABASE;

/** A CSV header line for `columns`: inline data is mapped by ordinal, kqlite's CSV reader maps by name. */
function headerLine(columns: readonly MgmtColumn[]): string {
  return columns.map((c) => c.name).join(',') + '\n';
}

export function workspaceTarget(ctx: ServerContext): MgmtTarget {
  const tables = () => {
    const snap = ctx.workspace.snapshot();
    return snap.tableNames().sort().map((name) => ({ name, columns: (snap.schema(name)?.columns ?? []).map((c) => ({ name: c.name, type: c.type as MgmtColumn['type'] })) }));
  };
  return {
    database: KUSTO_DATABASE,
    version: VERSION,
    tables,
    functions: () => [],
    async createMerge(table, columns) {
      const old = tables().find((t) => t.name === table);
      const missing = columns.filter((c) => !old?.columns.some((o) => o.name === c.name));
      if (old && !missing.length) return;
      // an extent of no rows carries the merged schema (the workspace's schema is the union of its extents')
      ctx.workspace.append(table, { name: table, columns: missing }, emptyTable(missing), '.create-merge table');
    },
    async ingestInline(table, csv) {
      const t = tables().find((x) => x.name === table)!;
      const dir = mkdtempSync(join(tmpdir(), 'kqlite-inline-'));
      const file = join(dir, `inline-${randomUUID()}.csv`);
      try {
        writeFileSync(file, headerLine(t.columns) + csv + (csv.endsWith('\n') ? '' : '\n'));
        const r = await ingestPaths(ctx.workspace, [file], { table, format: 'csv', force: true, workers: 1 });
        return { rows: r.loaded, quarantined: r.quarantined };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
