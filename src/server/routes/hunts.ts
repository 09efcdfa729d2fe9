/**
 * POST /api/hunts runs rules now (selected like `kqlite hunt --rules`), GET /api/hunts lists past runs.
 * The hunt runs on an engine worker thread (engine-pool.ts), so the server goes on answering while it
 * runs; each rule query is bounded by its own deadline and the whole hunt by HUNT_TIMEOUT_MS.
 */
import type { FastifyInstance } from 'fastify';
import { getRun, listFindings, listRuns, selectRules } from '../../hunts/index.js';
import type { HuntRequest, HuntResponse, HuntsResponse } from '../api.js';
import type { ServerContext } from '../context.js';
import type { EnginePool } from '../engine-pool.js';
import { badRequest, notFound } from '../errors.js';
import { findingSummary, runInfo } from '../views.js';
import { datetimeParam } from './params.js';

const HUNT_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    rules: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 300 }, maxItems: 1000 },
    asOf: { type: 'string', maxLength: 64 },
  },
} as const;

/** A hunt still running after this is stopped (its thread ended); rules that finished keep their findings. */
const HUNT_TIMEOUT_MS = 60 * 60_000;

export function huntRoutes(app: FastifyInstance, ctx: ServerContext, pool: EnginePool): void {
  app.get('/api/hunts', async (): Promise<HuntsResponse> => ({ runs: listRuns(ctx.db).map(runInfo) }));

  // One past run (the page a run's link opens): what it ran and the findings it touched, as they are now.
  app.get('/api/hunts/:id', async (req): Promise<HuntResponse> => {
    const { id } = req.params as { id: string };
    const run = /^\d{1,15}$/.test(id) ? getRun(ctx.db, Number(id)) : undefined;
    if (!run) throw notFound(`hunt run '${id}'`);
    const s = run.summary;
    const touched = new Set(s?.findingIds ?? []);
    return {
      run: runInfo(run),
      asOfSource: s?.asOfSource === 'flag' ? 'request' : 'latest event',
      rowsScanned: s?.rowsScanned ?? 0,
      durationMs: s?.durationMs ?? 0,
      rules: (s?.rules ?? []).map((o) => ({
        ruleId: o.ruleId, ruleName: o.ruleName, outcome: o.outcome === 'ran' ? 'ok' : o.outcome, ...(o.reason ? { reason: o.reason } : {}),
        rows: o.rows, findingsNew: o.findingsNew, findingsUpdated: o.findingsUpdated, durationMs: o.durationMs,
      })),
      findings: touched.size ? listFindings(ctx.db).filter((f) => touched.has(f.id)).map(findingSummary) : [],
    };
  });

  app.post('/api/hunts', { schema: { body: HUNT_BODY } }, async (req): Promise<HuntResponse> => {
    const body = (req.body ?? {}) as HuntRequest;
    const asOf = datetimeParam('asOf', body.asOf);
    const all = ctx.rules();
    const { selected, unknown } = body.rules?.length ? selectRules(all, body.rules) : { selected: all, unknown: [] };
    if (unknown.length) throw badRequest(`no rule matches ${unknown.map((u) => `'${u}'`).join(', ')} (give rule ids, tool names, techniques or globs)`);
    const { summary } = await pool.hunt({
      ruleIds: selected.map((r) => r.id), actor: ctx.actor, timeoutMs: HUNT_TIMEOUT_MS, ...(asOf !== undefined ? { asOfTicks: asOf.toString() } : {}),
    });
    const run = getRun(ctx.db, summary.runId)!;
    return {
      run: runInfo(run),
      asOfSource: summary.asOfSource === 'flag' ? 'request' : 'latest event',
      rowsScanned: summary.rowsScanned,
      durationMs: summary.durationMs,
      rules: summary.rules.map((o) => ({
        ruleId: o.ruleId, ruleName: o.ruleName, outcome: o.outcome === 'ran' ? 'ok' : o.outcome, ...(o.reason ? { reason: o.reason } : {}),
        rows: o.rows, findingsNew: o.findingsNew, findingsUpdated: o.findingsUpdated, findingsUnchanged: o.findingsUnchanged, durationMs: o.durationMs,
      })),
      findings: listFindings(ctx.db, { run: summary.runId }).map(findingSummary),
    };
  });
}
