/** The engine a remote spec names. */
import { DefenderEngine } from './defender.js';
import { KustoEngine } from './kusto-engine.js';
import { LogAnalyticsEngine } from './log-analytics.js';
import type { RemoteEngine, RemoteSpec } from './remote-types.js';

export function openRemote(spec: RemoteSpec): RemoteEngine {
  switch (spec.kind) {
    case 'kusto':
      return new KustoEngine(spec);
    case 'log-analytics':
      return new LogAnalyticsEngine(spec);
    case 'defender':
      return new DefenderEngine(spec);
  }
}
