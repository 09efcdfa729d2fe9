/** GET /api/status: the workspace at a glance (tables, rules, findings, last run), and the token rule. */
import type { FastifyInstance } from 'fastify';
import { listFindings, listRuns } from '../../hunts/index.js';
import { formatDatetime } from '../../engine/values/ticks.js';
import type { KqlType, StatusResponse, TriageStatus } from '../api.js';
import type { ServerContext } from '../context.js';
import { runInfo } from '../views.js';

export const VERSION = '0.1.0';

export function statusRoutes(app: FastifyInstance, ctx: ServerContext, opts: { tokenRequired: boolean }): void {
  app.get('/api/status', async (): Promise<StatusResponse> => {
    const ws = ctx.workspace.snapshot();
    const tables = ws.tables().map((t) => ({
      name: t.name, rows: t.rows,
      ...(t.minTimestamp !== undefined ? { minTime: formatDatetime(t.minTimestamp) } : {}),
      ...(t.maxTimestamp !== undefined ? { maxTime: formatDatetime(t.maxTimestamp) } : {}),
      columns: (ws.schema(t.name)?.columns ?? []).map((c) => ({ name: c.name, type: c.type as KqlType })),
    }));
    const rules = ctx.rules();
    const findings = listFindings(ctx.db);
    const byStatus: Record<TriageStatus, number> = { new: 0, investigating: 0, benign: 0, malicious: 0, closed: 0 };
    for (const f of findings) byStatus[f.status]++;
    const latest = ws.maxTimestamp();
    const last = listRuns(ctx.db, 1)[0];
    return {
      version: VERSION, workspace: ctx.dir, tables,
      ...(latest !== undefined ? { latestEvent: formatDatetime(latest) } : {}),
      rules: { total: rules.length, valid: rules.filter((r) => r.status === 'valid').length, warning: rules.filter((r) => r.status === 'warning').length, error: rules.filter((r) => r.status === 'error').length, damaged: ctx.damagedRules() },
      findings: { total: findings.length, active: findings.filter((f) => f.suppressedBy === undefined).length, suppressed: findings.filter((f) => f.suppressedBy !== undefined).length, byStatus },
      ...(last ? { lastRun: runInfo(last) } : {}),
      tokenRequired: opts.tokenRequired,
    };
  });
}
