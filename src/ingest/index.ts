/** Telemetry: the workspace, ingest and the demo generator (the surface hunts, server and cli use). */
export { Workspace, type TableInfo } from '../store/workspace.js';
export { ingestPaths, expandPaths, tableFromFileName, readQuarantine, type IngestReport, type FileReport, type IngestOptions, type IngestProgress } from './ingest.js';
export { FORMATS, detectFormat, type Format } from './readers.js';
export { generateDemo, DEMO_END, type DemoData, type DemoManifest, type DemoOptions } from './demo/generate.js';
export { createDemoWorkspace, MANIFEST_FILE } from './demo/workspace.js';
export type { Scenario } from './demo/scenarios.js';

import { Workspace } from '../store/workspace.js';
/** For `kqlite query`, which loads the workspace lazily. */
export function openWorkspace(dir: string): Workspace {
  return Workspace.open(dir);
}
export { externalDataSource, externalDataFor, sourcedExternalDataFor, EXTERNAL_DIR, type ExternalDataOptions } from './external-data.js';
export { readWorkspaceConfig, readLintConfig, ConfigError, CONFIG_FILE, DEFAULT_EXTERNAL_DATA, type WorkspaceConfig, type ExternalDataConfig } from './workspace-config.js';
