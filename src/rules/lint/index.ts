/**
 * Rule lint: checks on a rule beyond "does it parse and bind", each with a stable code (codes.ts,
 * docs/LINT.md). Works off the parsed and bound query (src/kql) and the rule file's fields; `kqlite check`
 * runs it on every rule file and query, and the rule page of `kqlite serve` on every rule it shows.
 */
export { LINT, LINT_CODES, lintCode, lintDocsUrl, type LintCode } from './codes.js';
export { disabledIn, parseDisableOption } from './disable.js';
export { lintRule, type LintOptions } from './lint-rule.js';
export { lintSigma } from './sigma.js';
export { lintStoredRule, type StoredRuleLint, type StoredRuleLintOptions } from './stored-rule.js';
export { workspaceLintSettings, type WorkspaceLintSettings } from './workspace.js';
export type { LintInput } from './context.js';
