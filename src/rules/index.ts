/** Detection content: the public surface other layers (hunts, server, cli) use. */
export type { Rule, RuleSource, RuleStatus, RuleKind, Severity, SigmaMeta } from './rule.js';
export { builtinRules, rulesForTool, PACK_NAME } from './generate.js';
export { loadRules, readRuleStore, readStoredRules, saveImportedRule, rulesDir, type DamagedRuleFile, type StoredRule } from './store.js';
export { importRules, type ImportReport, type ImportProblem } from './import.js';
export { validateRule, normaliseTactics, normaliseTechniques, RULE_CODES } from './validate.js';
export { enrichRule, subtechniqueFor, type Enrichment, type ExtraEnricher, type FalsePositiveClause, type Sourced } from './enrich.js';
export { coverage, navigatorLayer, type CoverageReport, type TechniqueCoverage } from './coverage.js';
export { RMM_CATALOG, CATALOG_BUILT_AT, findTool, otherToolsSignedBy, type RmmTool } from './catalog.js';
export { ATTACK, TACTICS, TECHNIQUES, ATTACK_VERSION, findTactic, findTechnique, type Tactic, type Technique } from './attack.js';
export { readRuleYaml, queryToFile } from './sentinel-yaml.js';
export { parseSigma, looksLikeSigma, type SigmaRule } from './sigma/parse.js';
export { convertSigma, SIGMA_CODES, type Conversion } from './sigma/convert.js';
export { ruleFromSigma } from './sigma/to-rule.js';
