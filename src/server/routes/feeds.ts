/**
 * GET /api/changes (what each source sync changed), and the feed as documents to subscribe to:
 * GET /feed.atom and /feed.json, filtered as /api/rules is (`q`, facets; `limit` entries, default 200).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CATALOG_BUILT_AT, sources } from '../../rules/index.js';
import { atomFeed, jsonFeed } from '../../rules/feeds/documents.js';
import type { ChangesResponse } from '../api.js';
import type { ServerContext } from '../context.js';
import { badRequest } from '../errors.js';
import { one, type Query } from './params.js';
import { selectRules } from './rules.js';

function feedOptions(req: FastifyRequest) {
  const base = `${req.protocol}://${req.headers.host ?? 'localhost'}`;
  const self = base + req.url.replace(/([?&])token=[^&]*&?/, '$1').replace(/[?&]$/, '');
  return { base, self, fallbackTime: CATALOG_BUILT_AT };
}

function feedLimit(q: Query): number {
  const v = one(q, 'limit');
  if (v === undefined) return 200;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 50_000) throw badRequest("'limit' must be a whole number from 1 to 50000");
  return Number(v);
}

export function feedRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/changes', async (req): Promise<ChangesResponse> => {
    const q = req.query as Query;
    const since = one(q, 'since');
    if (since !== undefined && Number.isNaN(Date.parse(since))) throw badRequest(`'since' is not a date: '${since}' (use ISO 8601, e.g. 2026-06-01)`);
    const source = one(q, 'source');
    return { changes: sources.readChanges(ctx.dir, { ...(since ? { since } : {}), ...(source ? { source } : {}) }).changes };
  });

  app.get('/feed.atom', async (req, reply) => {
    const q = req.query as Query;
    const { rules } = selectRules(ctx.rules(), q);
    return reply.type('application/atom+xml; charset=utf-8').header('cache-control', 'no-cache').send(atomFeed(rules, feedOptions(req), feedLimit(q)));
  });

  app.get('/feed.json', async (req, reply) => {
    const q = req.query as Query;
    const { rules } = selectRules(ctx.rules(), q);
    return reply.type('application/feed+json; charset=utf-8').header('cache-control', 'no-cache').send(jsonFeed(rules, feedOptions(req), feedLimit(q)));
  });
}
