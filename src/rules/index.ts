/** Detection content: the public surface other layers (hunts, server, cli) use. */
export type { Rule, RuleSource, RuleStatus, RuleKind, Severity } from './rule.js';
export { builtinRules, rulesForTool, PACK_NAME } from './generate.js';
export { loadRules, readStoredRules, saveImportedRule, rulesDir, type StoredRule } from './store.js';
export { importRules, type ImportReport, type ImportProblem } from './import.js';
export { validateRule, normaliseTactics, normaliseTechniques, RULE_CODES } from './validate.js';
export { enrichRule, type Enrichment, type ExtraEnricher, type FalsePositiveClause, type Sourced } from './enrich.js';
export { coverage, navigatorLayer, type CoverageReport, type TechniqueCoverage } from './coverage.js';
export { RMM_CATALOG, findTool, type RmmTool } from './catalog.js';
export { TACTICS, TECHNIQUES, ATTACK_VERSION, findTactic, findTechnique } from './attack.js';
export { readRuleYaml, queryToFile } from './sentinel-yaml.js';
