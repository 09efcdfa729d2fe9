/** Detection content: the public surface other layers (hunts, server, cli) use. */
export type { Rule, RuleDiagnostic, RuleSource, RuleStatus, RuleKind, Severity } from './rule.js';
export { fieldSpan, locateRuleDiagnostic, renderRuleDiagnostic, renderRuleDiagnostics } from './rule-diagnostics.js';
export { rulesForTool, PACK_NAME } from './generate.js';
export { builtinRules, exampleRules } from './builtin.js';
export { loadRules, removedRules, readRuleStore, readStoredRules, saveImportedRule, rulesDir, type DamagedRuleFile, type StoredRule } from './store.js';
export { importRules, type ImportReport, type ImportProblem } from './import.js';
export { validateRule, normaliseTactics, normaliseTechniques, RULE_CODES } from './validate.js';
export { enrichRule, subtechniqueFor, type Enrichment, type ExtraEnricher, type FalsePositiveClause, type Sourced } from './enrich.js';
export { coverage, navigatorLayer, type CoverageReport, type TechniqueCoverage } from './coverage.js';
export { RMM_CATALOG, CATALOG_BUILT_AT, findTool, otherToolsSignedBy, type RmmTool } from './catalog.js';
export { ATTACK, TACTICS, TECHNIQUES, ATTACK_VERSION, findTactic, findTechnique, type Tactic, type Technique } from './attack.js';
export { readRuleYaml, queryToFile } from './sentinel-yaml.js';
export * as sources from './sources/index.js';
export { readRuleFile, RULE_FILE, safeHttpUrl, type FileRead } from './readers/index.js';
export { watchlistFromCsv, saveWatchlist, removeWatchlist, readWatchlists, watchlistFunction, type Watchlist } from './watchlists.js';
export { EXAMPLE_SOURCE } from './example-rules.js';
