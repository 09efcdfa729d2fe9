/** Remote engines: the surface the CLI and the server use. */
export * from './remote-types.js';
export { openRemote } from './remote-engine.js';
export { KustoEngine, kustoErrorMessage } from './kusto-engine.js';
export { LogAnalyticsEngine, readLogAnalyticsAnswer } from './log-analytics.js';
export { DefenderEngine, readHuntingAnswer } from './defender.js';
export { runRemoteHunt, type RemoteHuntOptions } from './remote-hunt.js';
export { exportTables, csvCell, type ExportReport } from './export.js';
export { readRemotes, addRemote, removeRemote, getRemote, REMOTES_FILE } from './remote-store.js';
export { bindNow } from './bind-now.js';
