/**
 * The flags that send a command's queries to a remote engine, shared by `query`, `hunt`, `export` and
 * `remotes add`: where (`--remote NAME` for a saved one, or `--cluster URL --database DB`,
 * `--log-analytics WORKSPACE_ID`, `--defender`) and how to sign in (`--auth METHOD` and its details).
 * Secrets are never flags: a client secret or bearer token is read from the environment variable named by
 * `--client-secret-env` / `--token-env`.
 */
import { AUTH_METHODS, type AuthMethod, type AuthSpec, type RemoteSpec } from '../remote/remote-types.js';
import { getRemote } from '../remote/remote-store.js';
import { UsageError } from './shared.js';

export const REMOTE_OPTIONS = {
  remote: { type: 'string' },
  cluster: { type: 'string' },
  database: { type: 'string' },
  'log-analytics': { type: 'string' },
  defender: { type: 'boolean' },
  endpoint: { type: 'string' },
  auth: { type: 'string' },
  tenant: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret-env': { type: 'string' },
  certificate: { type: 'string' },
  'token-env': { type: 'string' },
} as const;

export const REMOTE_HELP = `remote engines (the query or rules run there instead of the workspace):
  --remote NAME                        a remote saved with kqlite remotes add
  --cluster URL --database DB          Azure Data Explorer (or another kqlite serve), via azure-kusto-data
  --log-analytics WORKSPACE_ID         a Log Analytics / Sentinel workspace (Azure Monitor Logs query API)
  --defender                           Defender XDR advanced hunting (Microsoft Graph runHuntingQuery)
  --auth default|azure-cli|device-code|managed-identity|client-secret|client-certificate|token|none
         [--tenant ID] [--client-id ID] [--client-secret-env VAR] [--certificate PEM] [--token-env VAR]
  --endpoint URL                       the API's base URL outside the public cloud`;

type Values = Partial<Record<keyof typeof REMOTE_OPTIONS, string | boolean | undefined>>;

const isLoopbackUrl = (u: string) => {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(u).hostname);
  } catch {
    return false;
  }
};

function authOf(v: Values, url: string | undefined): AuthSpec {
  const method = (v.auth as string | undefined) ?? (v['token-env'] ? 'token' : url && isLoopbackUrl(url) ? 'none' : 'default');
  if (!(AUTH_METHODS as readonly string[]).includes(method)) throw new UsageError(`--auth must be one of ${AUTH_METHODS.join(', ')}, not '${method}'`);
  const a: AuthSpec = { method: method as AuthMethod };
  if (v.tenant) a.tenant = v.tenant as string;
  if (v['client-id']) a.clientId = v['client-id'] as string;
  if (v['client-secret-env']) a.secretEnv = v['client-secret-env'] as string;
  if (v.certificate) a.certificatePath = v.certificate as string;
  if (v['token-env']) a.tokenEnv = v['token-env'] as string;
  if (method === 'client-secret' && (!a.tenant || !a.clientId || !a.secretEnv)) throw new UsageError('--auth client-secret needs --tenant, --client-id and --client-secret-env VAR');
  if (method === 'client-certificate' && (!a.tenant || !a.clientId || !a.certificatePath)) throw new UsageError('--auth client-certificate needs --tenant, --client-id and --certificate FILE');
  if (method === 'token' && !a.tokenEnv) throw new UsageError('--auth token needs --token-env VAR (the variable holding the token)');
  return a;
}

/** The remote the flags name, or undefined when they name none (the workspace then answers). */
export function remoteFromFlags(v: Values, workspace: string | undefined): RemoteSpec | undefined {
  const targets = [v.remote, v.cluster, v['log-analytics'], v.defender].filter((x) => x !== undefined && x !== false);
  if (targets.length > 1) throw new UsageError('name one remote: --remote, --cluster, --log-analytics or --defender');
  if (v.database && !v.cluster && !v.remote) throw new UsageError('--database goes with --cluster');
  if (v.remote) {
    if (!workspace) throw new UsageError('--remote reads saved remotes from the workspace: give --workspace');
    return getRemote(workspace, v.remote as string);
  }
  if (v.cluster) {
    if (!v.database) throw new UsageError('--cluster needs --database NAME');
    return { kind: 'kusto', cluster: v.cluster as string, database: v.database as string, auth: authOf(v, v.cluster as string), ...(v.endpoint ? { endpoint: v.endpoint as string } : {}) };
  }
  if (v['log-analytics']) return { kind: 'log-analytics', workspaceId: v['log-analytics'] as string, auth: authOf(v, v.endpoint as string | undefined), ...(v.endpoint ? { endpoint: v.endpoint as string } : {}) };
  if (v.defender) return { kind: 'defender', auth: authOf(v, v.endpoint as string | undefined), ...(v.endpoint ? { endpoint: v.endpoint as string } : {}) };
  const stray = (['auth', 'tenant', 'client-id', 'client-secret-env', 'certificate', 'token-env', 'endpoint'] as const).find((k) => v[k] !== undefined);
  if (stray) throw new UsageError(`--${stray} goes with a remote (--remote, --cluster, --log-analytics or --defender)`);
  return undefined;
}
