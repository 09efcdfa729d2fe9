/**
 * GET /api/coverage: the ATT&CK Enterprise matrix (every tactic with every technique, sub-techniques folded
 * into their parent) with the rules and findings on each; GET /api/coverage/navigator: the Navigator layer.
 */
import type { FastifyInstance } from 'fastify';
import { ATTACK_VERSION, TACTICS, TECHNIQUES, coverage, navigatorLayer } from '../../rules/index.js';
import type { CoverageResponse, CoverageTechnique } from '../api.js';
import type { ServerContext } from '../context.js';

export function coverageRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const report = () => coverage(ctx.rules(), { tablesPresent: ctx.workspace.tableNames(), findingsByRule: ctx.findingsByRule() });

  app.get('/api/coverage', async (): Promise<CoverageResponse> => {
    const byTechnique = new Map<string, CoverageTechnique>();
    for (const t of TECHNIQUES.values()) if (!t.subtechnique) byTechnique.set(t.id, { id: t.id, name: t.name, url: t.url, rules: [], validRules: 0, findings: 0 });
    const r = report();
    // the rules already on each parent (a rule claiming T1003 and T1003.001 counts once): a set, as a list
    // search made this quadratic (12 s for 14,619 rules on T1219)
    const seen = new Map<string, Set<string>>();
    for (const c of r.techniques) {
      const parent = byTechnique.get(c.techniqueId.split('.')[0]!);
      if (!parent) continue; // technique ids outside ATT&CK are reported by rule validation
      let ids = seen.get(parent.id);
      if (!ids) seen.set(parent.id, (ids = new Set()));
      for (const rule of c.rules) {
        if (ids.has(rule.id)) continue;
        ids.add(rule.id);
        parent.rules.push({ id: rule.id, name: rule.name, status: rule.status as CoverageTechnique['rules'][number]['status'], findings: rule.findings });
        if (rule.status !== 'error') parent.validRules++;
        parent.findings += rule.findings;
      }
    }
    const tactics = TACTICS.map((ta) => ({
      id: ta.id, name: ta.name, shortname: ta.shortname,
      techniques: [...byTechnique.values()].filter((t) => TECHNIQUES.get(t.id)!.tactics.includes(ta.shortname)).sort((a, b) => a.name.localeCompare(b.name)),
    }));
    const all = [...byTechnique.values()];
    return {
      attackVersion: ATTACK_VERSION, tactics,
      totals: { techniques: all.length, covered: all.filter((t) => t.validRules > 0).length, withFindings: all.filter((t) => t.findings > 0).length, rulesWithoutTechniques: r.rulesWithoutTechniques },
    };
  });

  app.get('/api/coverage/navigator', async (_req, reply) =>
    reply.header('content-disposition', 'attachment; filename="kqlite-navigator-layer.json"').send(navigatorLayer(report())));
}
