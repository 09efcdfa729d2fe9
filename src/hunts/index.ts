/** Hunts and findings: the public surface other layers (server, cli) use. */
export * from './types.js';
export { openFindingsCopy, openFindingsDb, openMemoryDb, schemaVersion, FINDINGS_FILE, type Db } from './db.js';
export { runHunt, HuntError, type HuntOptions, type HuntSummary, type RuleOutcome } from './run-hunt.js';
export { listFindings, devicesSeen, getFinding, triageFinding, notesOf, findingId, type FindingFilter, type TriageChange } from './findings-store.js';
export { auditOf } from './audit.js';
export { addSuppression, revokeSuppression, listSuppressions, isActive, globMatch, type NewSuppression } from './suppressions.js';
export { buildInventory, type InventoryEntry, type InventoryState } from './inventory.js';
export { selectRules, matchesSelector } from './select.js';
export { listRuns, getRun, failRun, type RunRecord } from './runs.js';
export { distinguishingKey, groupColumnsOf, observe } from './grouping.js';
export { compareRuleVersions, type CompareOptions, type FindingDelta, type ImpactReport, type RuleImpact, type VersionChange, type VersionRun } from './compare.js';
