/** The on-disk store: what the layers above (ingest, hunts, server, cli) use of it. */
export { Workspace, type TableInfo } from './workspace.js';
export { WorkspaceWriter } from './writer.js';
export { WorkspaceError } from './errors.js';
export { WorkspaceBusyError } from './lock.js';
export { compactSmallExtents, type CompactedTable } from './compact.js';
export { readQuarantine } from './quarantine.js';
