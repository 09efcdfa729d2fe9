/**
 * Signing in to the remote engines with @azure/identity: the Azure CLI's login, device code, a managed
 * identity, an app's client secret or certificate, or DefaultAzureCredential's chain; a plain bearer token
 * from an environment variable (a kqlite server's token); or none (a kqlite server on loopback).
 * Secrets come from the environment only, never from saved remotes.
 */
import type { TokenCredential } from '@azure/identity';
import { RemoteError, type AuthSpec } from './remote-types.js';

export type TokenSource = (scope: string) => Promise<string | undefined>;

function envValue(name: string | undefined, what: string): string {
  if (!name) throw new RemoteError(`${what}: name the environment variable that holds it`);
  const v = process.env[name];
  if (!v) throw new RemoteError(`${what}: the environment variable ${name} is not set`);
  return v;
}

async function credential(a: AuthSpec): Promise<TokenCredential> {
  const id = await import('@azure/identity');
  const tenant = a.tenant;
  switch (a.method) {
    case 'azure-cli':
      return new id.AzureCliCredential(tenant ? { tenantId: tenant } : {});
    case 'device-code':
      return new id.DeviceCodeCredential({
        ...(tenant ? { tenantId: tenant } : {}), ...(a.clientId ? { clientId: a.clientId } : {}),
        userPromptCallback: (info) => void process.stderr.write(`kqlite: ${info.message}\n`),
      });
    case 'managed-identity':
      return a.clientId ? new id.ManagedIdentityCredential({ clientId: a.clientId }) : new id.ManagedIdentityCredential();
    case 'client-secret':
      if (!tenant || !a.clientId) throw new RemoteError('client-secret sign-in needs --tenant and --client-id');
      return new id.ClientSecretCredential(tenant, a.clientId, envValue(a.secretEnv, 'the client secret'));
    case 'client-certificate':
      if (!tenant || !a.clientId || !a.certificatePath) throw new RemoteError('client-certificate sign-in needs --tenant, --client-id and --certificate FILE');
      return new id.ClientCertificateCredential(tenant, a.clientId, { certificatePath: a.certificatePath });
    default:
      return new id.DefaultAzureCredential(tenant ? { tenantId: tenant } : {});
  }
}

/** Bearer tokens for `scope` as the auth spec says; undefined means send no Authorization header. */
export function tokenSource(a: AuthSpec): TokenSource {
  if (a.method === 'none') return async () => undefined;
  if (a.method === 'token') {
    const token = envValue(a.tokenEnv, 'the bearer token');
    return async () => token;
  }
  let cred: Promise<TokenCredential> | undefined;
  return async (scope) => {
    cred ??= credential(a);
    try {
      const t = await (await cred).getToken(scope);
      if (!t) throw new Error('no token was issued');
      return t.token;
    } catch (e) {
      throw new RemoteError(`signing in (${a.method}) for ${scope} failed: ${(e as Error).message.split('\n')[0]}`);
    }
  };
}
