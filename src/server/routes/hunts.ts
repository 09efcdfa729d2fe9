/**
 * POST /api/hunts runs rules now (selected like `kqlite hunt --rules`), GET /api/hunts lists past runs.
 * A hunt runs in the server's thread: rule queries are bounded by their own deadline and the built-in pack
 * over the demo takes well under a second; big workspaces are hunted from the CLI.
 */
import type { FastifyInstance } from 'fastify';
import { HuntError, getRun, listFindings, listRuns, runHunt, selectRules } from '../../hunts/index.js';
import type { HuntRequest, HuntResponse, HuntsResponse } from '../api.js';
import type { ServerContext } from '../context.js';
import { HttpError, badRequest } from '../errors.js';
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

export function huntRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/hunts', async (): Promise<HuntsResponse> => ({ runs: listRuns(ctx.db).map(runInfo) }));

  app.post('/api/hunts', { schema: { body: HUNT_BODY } }, async (req): Promise<HuntResponse> => {
    const body = (req.body ?? {}) as HuntRequest;
    const asOf = datetimeParam('asOf', body.asOf);
    const all = ctx.rules();
    const { selected, unknown } = body.rules?.length ? selectRules(all, body.rules) : { selected: all, unknown: [] };
    if (unknown.length) throw badRequest(`no rule matches ${unknown.map((u) => `'${u}'`).join(', ')} (give rule ids, tool names, techniques or globs)`);
    let summary;
    try {
      summary = runHunt({ rules: selected, source: ctx.workspace, db: ctx.db, ...(asOf !== undefined ? { asOf } : {}), actor: 'web' });
    } catch (e) {
      if (e instanceof HuntError) throw new HttpError(409, e.message);
      throw e;
    }
    const run = getRun(ctx.db, summary.runId)!;
    return {
      run: runInfo(run),
      asOfSource: summary.asOfSource === 'flag' ? 'request' : 'latest event',
      rowsScanned: summary.rowsScanned,
      durationMs: summary.durationMs,
      rules: summary.rules.map((o) => ({
        ruleId: o.ruleId, ruleName: o.ruleName, outcome: o.outcome === 'ran' ? 'ok' : o.outcome, ...(o.reason ? { reason: o.reason } : {}),
        rows: o.rows, findingsNew: o.findingsNew, findingsUpdated: o.findingsUpdated, durationMs: o.durationMs,
      })),
      findings: listFindings(ctx.db, { run: summary.runId }).map(findingSummary),
    };
  });
}
