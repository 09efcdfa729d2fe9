/**
 * Findings: GET /api/findings (filters + facets, `limit`/`offset` pages), GET /api/findings/:id (evidence, notes, audit),
 * PATCH /api/findings/:id (triage, audited), GET /api/timeline (hourly activity of a device or a tool).
 */
import type { FastifyInstance } from 'fastify';
import { TRIAGE_STATUSES, getFinding, listFindings, notesOf, triageFinding, type Finding, type FindingFilter } from '../../hunts/index.js';
import { formatDatetime } from '../../engine/values/ticks.js';
import type { FindingDetail, FindingsResponse, TimelineResponse, TriageRequest } from '../api.js';
import type { ServerContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { countValues, findingSummary } from '../views.js';
import { asList, datetimeParam, one, wholeNumber, type Query } from './params.js';

const TRIAGE_BODY = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    status: { type: 'string', enum: [...TRIAGE_STATUSES] },
    assignee: { type: 'string', maxLength: 200 },
    note: { type: 'string', minLength: 1, maxLength: 10_000 },
  },
} as const;

function filterOf(q: Query): { filter: FindingFilter; text?: string } {
  const status = asList(q['status']);
  for (const s of status) if (!(TRIAGE_STATUSES as readonly string[]).includes(s)) throw badRequest(`'status' must be among ${TRIAGE_STATUSES.join(', ')}, not '${s}'`);
  const since = one(q, 'since'), until = one(q, 'until'), supp = one(q, 'suppressed');
  if (supp !== undefined && !['true', 'false', 'only', 'all'].includes(supp)) throw badRequest(`'suppressed' must be true, false, only or all, not '${supp}'`);
  const sinceT = datetimeParam('since', since), untilT = datetimeParam('until', until);
  const filter: FindingFilter = {
    ...(status.length ? { status } : {}),
    ...(one(q, 'tool') ? { tool: one(q, 'tool')! } : {}), ...(one(q, 'device') ? { device: one(q, 'device')! } : {}),
    ...(one(q, 'rule') ? { rule: one(q, 'rule')! } : {}), ...(one(q, 'severity') ? { severity: one(q, 'severity')! } : {}),
    ...(sinceT !== undefined ? { since: formatDatetime(sinceT) } : {}), ...(untilT !== undefined ? { until: formatDatetime(untilT) } : {}),
    // default: every finding, suppressed ones marked; 'false' hides them, 'only'/'true' shows only them
    ...(supp === 'false' ? { suppressed: false } : supp === 'only' || supp === 'true' ? { suppressed: true } : {}),
  };
  const text = one(q, 'q');
  return { filter, ...(text ? { text: text.toLowerCase() } : {}) };
}

const matchesText = (f: Finding, text: string) => JSON.stringify([f.ruleName, f.tool, f.device, f.user, f.signer, f.key]).toLowerCase().includes(text);

export function findingRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/findings', async (req): Promise<FindingsResponse> => {
    const { filter, text } = filterOf(req.query as Query);
    const q = req.query as Query;
    const offset = wholeNumber(q, 'offset', 10_000_000) ?? 0;
    const limit = wholeNumber(q, 'limit', 10_000_000);
    const fs = listFindings(ctx.db, filter).filter((f) => !text || matchesText(f, text));
    // the facets and counts are over every match; only the page's findings are sent (a browser table of
    // 20,000 findings took half a minute to draw)
    return {
      findings: fs.slice(offset, limit === undefined ? undefined : offset + limit).map(findingSummary), total: fs.length,
      allowed: fs.filter((f) => f.suppressedBy !== undefined).length,
      facets: {
        status: countValues(fs.map((f) => f.status)), tool: countValues(fs.map((f) => f.tool)), device: countValues(fs.map((f) => f.device)),
        rule: countValues(fs.map((f) => f.ruleName)), severity: countValues(fs.map((f) => f.severity)),
      },
    };
  });

  const detail = (f: Finding): FindingDetail => ({
    ...findingSummary(f), reportIds: f.reportIds, sample: f.sample, row: f.row, createdAt: f.createdAt, updatedAt: f.updatedAt,
    notes: notesOf(ctx.db, f.id).map((n) => ({ at: n.at, by: n.author, text: n.text })),
    audit: ctx.audit(f.id).map((a) => ({ at: a.at, by: a.actor, action: a.action, detail: (a.detail ?? {}) as Record<string, unknown> })),
  });

  app.get('/api/findings/:id', async (req): Promise<FindingDetail> => {
    const { id } = req.params as { id: string };
    const f = getFinding(ctx.db, id);
    if (!f || f.id !== id) throw notFound(`finding '${id}'`);
    return detail(f);
  });

  app.patch('/api/findings/:id', { schema: { body: TRIAGE_BODY } }, async (req): Promise<FindingDetail> => {
    const { id } = req.params as { id: string };
    const f = getFinding(ctx.db, id);
    if (!f || f.id !== id) throw notFound(`finding '${id}'`);
    const body = req.body as TriageRequest;
    try {
      triageFinding(ctx.db, id, body, ctx.actor);
    } catch (e) {
      throw badRequest((e as Error).message);
    }
    return detail(getFinding(ctx.db, id)!);
  });

  app.get('/api/timeline', async (req): Promise<TimelineResponse> => {
    const q = req.query as Query;
    const device = one(q, 'device'), tool = one(q, 'tool');
    if (!device === !tool) throw badRequest("give exactly one of 'device' or 'tool'");
    const fs = listFindings(ctx.db, device ? { device } : { tool: tool! });
    const points = new Map<string, { time: string; series: string; count: number }>();
    for (const f of fs) {
      const series = (device ? f.tool ?? f.ruleName : f.device) ?? '(unknown)';
      // Evidence rows carry the event times; a finding without them (a summarized rule's) still marks its
      // first and last hour, once each: one event seen at 10:05 is not two events at 10:00
      const times = f.sample.map((r) => r['Timestamp'] ?? r['TimeGenerated']).filter((t): t is string => typeof t === 'string');
      const toHour = (t: string) => t.slice(0, 13) + ':00:00.0000000Z';
      for (const hour of times.length ? times.map(toHour) : [...new Set([f.firstSeen, f.lastSeen].map(toHour))]) {
        const k = `${hour}\u0000${series}`;
        const p = points.get(k) ?? { time: hour, series, count: 0 };
        p.count++;
        points.set(k, p);
      }
    }
    return {
      subject: device ? { device } : { tool: tool! },
      points: [...points.values()].sort((a, b) => a.time.localeCompare(b.time) || a.series.localeCompare(b.series)),
      findings: fs.map(findingSummary),
    };
  });
}
