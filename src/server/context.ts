/**
 * What every route works on: the workspace's telemetry, its rules (built-in plus imported, re-read when the
 * rule store changes on disk, e.g. after `kqlite rules import` in another terminal), and its findings
 * database (opened once, WAL, so the CLI can hunt or triage while the server runs).
 */
import { existsSync, statSync } from 'node:fs';
import { workspaceWritable } from '../common/workspace-dir.js';
import { auditOf, devicesSeen, listFindings, openFindingsCopy, openFindingsDb, type Db, type Finding } from '../hunts/index.js';
import { Workspace } from '../ingest/index.js';
import type { FunctionLibrary } from '../kql/semantics/index.js';
import { enrichRule, removedRules, loadRules, readRuleStore, rulesDir, sources, type DamagedRuleFile, type Enrichment, type Rule } from '../rules/index.js';
import { workspaceLintSettings } from '../rules/lint/index.js';
import type { RuleLint } from './api.js';
import { ruleLint } from './rule-lint.js';

export class ServerContext {
  readonly workspace: Workspace;
  private database: Db | undefined;
  private rulesCache: { stamp: string; rules: Rule[]; byId: Map<string, Rule>; damaged: DamagedRuleFile[] } | undefined;
  private readonly enrichments = new Map<string, { stamp: string; value: Enrichment }>();
  private readonly lints = new Map<string, { stamp: string; library: FunctionLibrary; value: RuleLint }>();

  /** @param actor who the audit trail names for changes made through this server (see auth.ts actorOf). */
  constructor(readonly dir: string, readonly actor = 'web') {
    this.workspace = Workspace.open(dir, { create: true });
    this.readOnly = !workspaceWritable(dir);
  }

  /** Whether the workspace folder can be written: when not, findings are shown from a copy and changes refused. */
  readonly readOnly: boolean;

  get db(): Db {
    return (this.database ??= this.readOnly ? openFindingsCopy(this.dir, { readonly: true }) : openFindingsDb(this.dir));
  }

  /** Changes whenever the rule store or the set of tables changes (tables decide data-source presence). */
  private stamp(): string {
    const d = rulesDir(this.dir);
    const rules = existsSync(d) ? String(statSync(d).mtimeMs) : '-';
    return `${rules}|${sources.sourcesGeneration(this.dir)}|${this.workspace.tableNames().join(',')}`;
  }

  rules(): Rule[] {
    return this.load().rules;
  }

  rule(id: string): Rule | undefined {
    return this.load().byId.get(id);
  }

  /** A rule removed upstream (kept by its source so its page and findings stay readable). */
  removedRule(id: string): Rule | undefined {
    return this.removed().get(id)?.rule;
  }

  removedAt(id: string): string | undefined {
    return this.removed().get(id)?.removedAt;
  }

  private removedCache: { stamp: string; map: ReturnType<typeof removedRules> } | undefined;
  private removed(): ReturnType<typeof removedRules> {
    const stamp = this.stamp();
    if (this.removedCache?.stamp !== stamp) this.removedCache = { stamp, map: removedRules(this.dir) };
    return this.removedCache.map;
  }

  /** Stored rule files that cannot be read (so not loaded), re-read with the rules. */
  damagedRules(): DamagedRuleFile[] {
    return this.load().damaged;
  }

  private load(): { rules: Rule[]; byId: Map<string, Rule>; damaged: DamagedRuleFile[] } {
    const stamp = this.stamp();
    if (this.rulesCache?.stamp !== stamp) {
      const rules = loadRules(this.dir);
      this.rulesCache = { stamp, rules, byId: new Map(rules.map((r) => [r.id, r])), damaged: readRuleStore(this.dir).damaged };
    }
    return this.rulesCache;
  }

  enrichment(rule: Rule): Enrichment {
    // the devices the rule's tool was found on name the false-positive guidance's device clause
    const devices = devicesSeen(this.db, rule);
    const stamp = `${this.stamp()}|${rule.version}|${devices.join(',')}`;
    const hit = this.enrichments.get(rule.id);
    if (hit?.stamp === stamp) return hit.value;
    const value = enrichRule(rule, { tablesPresent: this.workspace.tableNames(), devicesSeen: devices });
    this.enrichments.set(rule.id, { stamp, value });
    return value;
  }

  /**
   * The rule's lint, computed once per rule version (and lint settings in config.json, and stored functions
   * the query may call): binding and linting a rule is milliseconds, and a page is opened many times.
   */
  lint(rule: Rule): RuleLint {
    const settings = workspaceLintSettings(this.dir);
    const library = sources.workspaceLibrary(this.dir);
    const stamp = `${rule.source.name}|${rule.version}|${[...settings.disable].sort().join(',')}|${settings.problems.join('\n')}`;
    const hit = this.lints.get(rule.id);
    if (hit?.stamp === stamp && hit.library === library) return hit.value;
    const value = ruleLint(rule, settings, library);
    this.lints.set(rule.id, { stamp, library, value });
    return value;
  }

  /** Active (unsuppressed) findings per rule id. */
  findingsByRule(findings: readonly Finding[] = listFindings(this.db)): Map<string, number> {
    const m = new Map<string, number>();
    for (const f of findings) if (f.suppressedBy === undefined) m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + 1);
    return m;
  }

  audit(entityId: string) {
    return auditOf(this.db, entityId);
  }

  close(): void {
    this.database?.close();
    this.database = undefined;
  }
}
