/** Rule sources: git repositories synced into the workspace (see README "Rule sources"). */
export { readSources, writeSources, checkSourceInput, defaultSourceName, sourceDir, sourcesDir, globToRegExp, pathFilter, type SourceConfig } from './config.js';
export { syncSource, syncSources, READER_VERSION, type SyncReport, type SyncProblem } from './sync.js';
export { readChanges, readSourceRules, readSourceState, sourcesGeneration, bumpGeneration, type ChangeEntry, type SourceRuleEntry, type SourceState } from './store.js';
export { diffText, lineDiff, ruleDiff, type RuleDiff, type DiffLine, type FieldChange } from './diff.js';
export { mergeRules } from './merge.js';
export { queryIdentity } from './identity.js';
export { fileWebUrl, repoWebBase } from './web-url.js';
export { workspaceLibrary } from './library.js';
export { GitError } from './git.js';
