/**
 * The feed: GET /api/rules (search, facet filters, facet counts), GET /api/rules/:id (the rule page's
 * content) and GET /api/rules/:id/file (the rule definition as stored in the workspace or generated).
 */
import type { FastifyInstance } from 'fastify';
import { listFindings } from '../../hunts/index.js';
import { CATALOG_BUILT_AT, type Rule } from '../../rules/index.js';
import { RULE_FACETS, type RuleDetail, type RuleFacet, type RulesResponse } from '../api.js';
import type { ServerContext } from '../context.js';
import { apiDiagnostics, notFound } from '../errors.js';
import { countValues, findingSummary, ruleCard } from '../views.js';
import { asList, type Query } from './params.js';

/** The values a rule has for a facet (a rule may have several tactics, techniques, tables or tags). */
function facetValues(r: Rule, f: RuleFacet): string[] {
  switch (f) {
    case 'tactic': return r.tactics;
    case 'technique': return r.techniques;
    case 'table': return r.tables;
    case 'tool': return r.tool ? [r.tool] : [];
    case 'severity': return [r.severity];
    case 'source': return [r.source.name];
    case 'status': return [r.status];
    case 'language': return [r.language === 'sigma' ? 'Sigma' : 'KQL'];
  }
}

/** A technique filter T1219 also matches its sub-techniques (T1219.002), as ATT&CK's hierarchy implies. */
function facetMatches(r: Rule, f: RuleFacet, wanted: string[]): boolean {
  const have = facetValues(r, f).map((v) => v.toLowerCase());
  return wanted.some((w) => {
    const x = w.toLowerCase();
    return have.some((h) => h === x || (f === 'technique' && h.startsWith(x + '.')));
  });
}

function searchText(r: Rule): string {
  return [r.id, r.name, r.description, r.tool ?? '', r.tags.join(' '), r.techniques.join(' '), r.tactics.join(' '), r.tables.join(' '), r.source.name, r.sigma?.author ?? ''].join('\n').toLowerCase();
}

export function ruleRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/rules', async (req): Promise<RulesResponse> => {
    const q = req.query as Query;
    const words = String(q['q'] ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const filters = new Map<RuleFacet, string[]>();
    for (const f of RULE_FACETS) {
      const v = asList(q[f]);
      if (v.length) filters.set(f, v);
    }
    const counts = ctx.findingsByRule();
    const searched = ctx.rules().filter((r) => !words.length || words.every((w) => searchText(r).includes(w)));
    const passes = (r: Rule, except?: RuleFacet) => [...filters].every(([f, v]) => f === except || facetMatches(r, f, v));
    const rules = searched.filter((r) => passes(r)).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    const facets = {} as RulesResponse['facets'];
    for (const f of RULE_FACETS) facets[f] = countValues(searched.filter((r) => passes(r, f)).flatMap((r) => facetValues(r, f)));
    return { rules: rules.map((r) => ruleCard(r, counts.get(r.id) ?? 0)), total: rules.length, facets };
  });

  app.get('/api/rules/:id', async (req): Promise<RuleDetail> => {
    const { id } = req.params as { id: string };
    const r = ctx.rule(id);
    if (!r) throw notFound(`rule '${id}'`);
    const findings = listFindings(ctx.db, { rule: r.id });
    const e = ctx.enrichment(r);
    const s = r.source;
    return {
      ...ruleCard(r, findings.filter((f) => f.suppressedBy === undefined).length),
      query: r.query, yaml: r.yaml, version: r.version, repairs: r.repairs,
      diagnostics: apiDiagnostics(r.query, r.diagnostics, s.path ?? `${r.id}.yaml`),
      provenance: {
        kind: s.kind, name: s.name,
        ...(s.path ? { path: s.path } : {}), ...(s.commit ? { commit: s.commit } : {}), ...(s.importedAt ? { importedAt: s.importedAt, retrieved: s.importedAt } : s.kind === 'builtin' ? { retrieved: `${CATALOG_BUILT_AT} (RMM catalog)` } : {}),
        ...(s.license ? { license: s.license } : {}), ...(s.generatedFrom ? { generatedFrom: s.generatedFrom } : {}), ...(s.upstream ? { upstream: s.upstream } : {}),
      },
      fileUrl: `/api/rules/${encodeURIComponent(r.id)}/file`,
      enrichment: { hypothesis: e.hypothesis, attack: e.attack, dataSources: e.dataSources, references: e.references, falsePositives: e.falsePositives, ...(e.attribution ? { attribution: e.attribution } : {}) },
      recentFindings: findings.slice(0, 50).map(findingSummary),
    };
  });

  app.get('/api/rules/:id/file', async (req, reply) => {
    const { id } = req.params as { id: string };
    const r = ctx.rule(id);
    if (!r) throw notFound(`rule '${id}'`);
    const name = (r.source.path?.split('/').pop() ?? `${r.id}.yaml`).replace(/[^A-Za-z0-9._-]/g, '_');
    return reply.type('text/yaml; charset=utf-8').header('content-disposition', `inline; filename="${name}"`).send(r.yaml);
  });
}
