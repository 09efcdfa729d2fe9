/**
 * The feed: GET /api/rules (search, facet filters, facet counts), GET /api/rules/:id (the rule page's
 * content) and GET /api/rules/:id/file (the rule definition as stored in the workspace or generated).
 */
import type { FastifyInstance } from 'fastify';
import { listFindings } from '../../hunts/index.js';
import { CATALOG_BUILT_AT, safeHttpUrl, type Rule, type RuleSource } from '../../rules/index.js';
import { RULE_FACETS, RULE_SORTS, type RuleCard, type RuleDetail, type RuleFacet, type RuleOrigin, type RuleSort, type RulesResponse } from '../api.js';
import type { ServerContext } from '../context.js';
import { badRequest, notFound, ruleApiDiagnostics } from '../errors.js';
import { findingSummary, ruleCard } from '../views.js';
import { selectIndexed } from '../rule-index.js';
import { asList, one, wholeNumber, type Query } from './params.js';

/** The rules a feed query selects (search words and facet filters), sorted by name, and the facet counts. */
export function selectRules(all: readonly Rule[], q: Query): { rules: readonly Rule[]; facets: RulesResponse['facets'] } {
  const words = String(one(q, 'q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const filters = new Map<RuleFacet, string[]>();
  for (const f of RULE_FACETS) {
    const v = asList(q[f]);
    if (v.length) filters.set(f, v);
  }
  return selectIndexed(all, words, filters);
}

function origin(s: RuleSource): RuleOrigin {
  return {
    kind: s.kind, name: s.name, ...(s.path ? { path: s.path } : {}), ...(s.commit ? { commit: s.commit } : {}), ...(s.webUrl && safeHttpUrl(s.webUrl) ? { webUrl: s.webUrl } : {}),
    ...(s.license ? { license: s.license } : {}), ...(s.author ? { author: s.author } : {}), ...(s.importedAt ? { retrieved: s.importedAt } : {}),
  };
}

const SEVERITY_RANK: Record<RuleCard['severity'], number> = { informational: 0, low: 1, medium: 2, high: 3 };
const byName = (a: RuleCard, b: RuleCard) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
/** The feed's orders; each falls back to the name, so the order is total and stable. */
const ORDER: Record<RuleSort, (a: RuleCard, b: RuleCard) => number> = {
  name: byName,
  findings: (a, b) => b.findings - a.findings || byName(a, b),
  severity: (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.findings - a.findings || byName(a, b),
  updated: (a, b) => (b.updated ?? '').localeCompare(a.updated ?? '') || byName(a, b),
};

export function ruleRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/rules', async (req): Promise<RulesResponse> => {
    const q = req.query as Query;
    const limit = wholeNumber(q, 'limit', 1_000_000);
    const offset = wholeNumber(q, 'offset', 1_000_000) ?? 0;
    const sort = (one(q, 'sort') ?? 'name') as RuleSort;
    if (!(RULE_SORTS as readonly string[]).includes(sort)) throw badRequest(`'sort' must be one of ${RULE_SORTS.join(', ')}, not '${sort}'`);
    const { rules, facets } = selectRules(ctx.rules(), q);
    const counts = ctx.findingsByRule();
    const card = (r: Rule) => ruleCard(r, counts.get(r.id) ?? 0);
    const end = limit === undefined ? undefined : offset + limit;
    // the index answers in name order; other orders need every match's card before the page is cut
    const cards = sort === 'name' ? rules.slice(offset, end).map(card) : rules.map(card).sort(ORDER[sort]).slice(offset, end);
    return { rules: cards, total: rules.length, facets };
  });

  app.get('/api/rules/:id', async (req): Promise<RuleDetail> => {
    const { id } = req.params as { id: string };
    const found = ctx.rule(id) ?? ctx.removedRule(id);
    if (!found) throw notFound(`rule '${id}'`);
    const r = found;
    const removedAt = ctx.rule(id) ? undefined : ctx.removedAt(id);
    const findings = listFindings(ctx.db, { rule: r.id });
    const e = ctx.enrichment(r);
    const s = r.source;
    return {
      ...ruleCard(r, findings.filter((f) => f.suppressedBy === undefined).length),
      query: r.query, yaml: r.yaml, version: r.version, repairs: r.repairs,
      diagnostics: ruleApiDiagnostics(r),
      lint: ctx.lint(r),
      provenance: {
        kind: s.kind, name: s.name,
        ...(s.path ? { path: s.path } : {}), ...(s.commit ? { commit: s.commit } : {}), ...(s.importedAt ? { importedAt: s.importedAt, retrieved: s.importedAt } : s.kind === 'builtin' ? { retrieved: `${CATALOG_BUILT_AT} (RMM catalog)` } : {}),
        ...(s.license ? { license: s.license } : {}), ...(s.generatedFrom ? { generatedFrom: s.generatedFrom } : {}), ...(s.upstream ? { upstream: s.upstream } : {}),
        ...(s.repository ? { repository: s.repository } : {}), ...(s.webUrl && safeHttpUrl(s.webUrl) ? { webUrl: s.webUrl } : {}), ...(s.author ? { author: s.author } : {}),
        ...(removedAt ? { removedAt } : {}),
      },
      origins: [s, ...(r.alsoFrom ?? [])].map(origin),
      fileUrl: `/api/rules/${encodeURIComponent(r.id)}/file`,
      enrichment: { hypothesis: e.hypothesis, attack: e.attack, dataSources: e.dataSources, references: e.references, falsePositives: e.falsePositives, ...(e.attribution ? { attribution: e.attribution } : {}) },
      recentFindings: findings.slice(0, 50).map(findingSummary),
    };
  });

  app.get('/api/rules/:id/file', async (req, reply) => {
    const { id } = req.params as { id: string };
    const r = ctx.rule(id) ?? ctx.removedRule(id);
    if (!r) throw notFound(`rule '${id}'`);
    const name = (r.source.path?.split('/').pop() ?? `${r.id}.yaml`).replace(/[^A-Za-z0-9._-]/g, '_');
    return reply.type('text/yaml; charset=utf-8').header('content-disposition', `inline; filename="${name}"`).send(r.yaml);
  });
}
