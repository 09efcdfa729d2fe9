/**
 * Saved remotes (`kqlite remotes add NAME ...`): `remotes.json` in the workspace, name → spec. It holds
 * where and how to sign in, never a secret (those stay in environment variables the spec names).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { insideWorkspace } from '../common/workspace-dir.js';
import { AUTH_METHODS, REMOTE_KINDS, RemoteError, type RemoteSpec } from './remote-types.js';

export const REMOTES_FILE = 'remotes.json';
const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

function validSpec(name: string, v: unknown, file: string): RemoteSpec {
  const s = v as RemoteSpec;
  const bad = (why: string) => new RemoteError(`${file}: remote '${name}' ${why} (fix the file, or remove and add the remote again)`);
  if (!s || typeof s !== 'object') throw bad('is not an object');
  if (!(REMOTE_KINDS as readonly string[]).includes(s.kind)) throw bad(`has kind '${String(s.kind)}', not one of ${REMOTE_KINDS.join(', ')}`);
  if (!s.auth || !(AUTH_METHODS as readonly string[]).includes(s.auth.method)) throw bad(`has no valid auth method (${AUTH_METHODS.join(', ')})`);
  for (const k of ['cluster', 'database', 'workspaceId', 'endpoint'] as const) if (s[k] !== undefined && typeof s[k] !== 'string') throw bad(`has a ${k} that is not text`);
  return s;
}

export function readRemotes(workspace: string): Map<string, RemoteSpec> {
  const file = insideWorkspace(workspace, REMOTES_FILE);
  const out = new Map<string, RemoteSpec>();
  if (!existsSync(file)) return out;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new RemoteError(`${file} is not JSON (${(e as Error).message}): fix it or delete it to start again`);
  }
  const remotes = (json as { remotes?: Record<string, unknown> } | undefined)?.remotes;
  if (!remotes || typeof remotes !== 'object') throw new RemoteError(`${file} has no "remotes" object: fix it or delete it to start again`);
  for (const [name, spec] of Object.entries(remotes)) out.set(name, validSpec(name, spec, file));
  return out;
}

function write(workspace: string, remotes: Map<string, RemoteSpec>): void {
  mkdirSync(workspace, { recursive: true });
  const file = insideWorkspace(workspace, REMOTES_FILE);
  writeFileSync(file + '.tmp', JSON.stringify({ remotes: Object.fromEntries(remotes) }, null, 1) + '\n');
  renameSync(file + '.tmp', file);
}

export function addRemote(workspace: string, name: string, spec: RemoteSpec, replace = false): void {
  if (!NAME.test(name)) throw new RemoteError(`'${name}' is not a remote name (a letter, then letters, digits, . _ -)`);
  const all = readRemotes(workspace);
  if (all.has(name) && !replace) throw new RemoteError(`a remote named '${name}' exists (remove it first, or add with --replace)`);
  all.set(name, spec);
  write(workspace, all);
}

export function removeRemote(workspace: string, name: string): void {
  const all = readRemotes(workspace);
  if (!all.delete(name)) throw new RemoteError(`no remote named '${name}' (see kqlite remotes list)`);
  write(workspace, all);
}

export function getRemote(workspace: string, name: string): RemoteSpec {
  const s = readRemotes(workspace).get(name);
  if (!s) throw new RemoteError(`no remote named '${name}' (see kqlite remotes list, or add it with kqlite remotes add)`);
  return s;
}
