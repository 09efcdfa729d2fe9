/**
 * `<workspace>/config.json`: settings the user keeps with a workspace, externaldata's and the rule lint's:
 *   { "externalData": { "allowNetwork": true, "allowPrivateNetwork": false, "maxBytes": 104857600, "timeoutMs": 30000 },
 *     "lint": { "disable": ["LINT040"] } }
 * allowNetwork lets queries, hunts and the server's workbench fetch http/https URLs (the CLI's
 * --allow-network allows it for one command); allowPrivateNetwork also lets them reach loopback, private and
 * link-local addresses (this machine, the LAN, cloud metadata), which are refused otherwise; maxBytes and
 * timeoutMs cap each download. lint.disable turns
 * lint codes off for the workspace's rule pages and `kqlite check --workspace` (as `--disable` does for one run).
 * A missing file is the defaults; a file that cannot be read is an error naming the file and the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { insideWorkspace } from '../common/workspace-dir.js';

export const CONFIG_FILE = 'config.json';

export interface ExternalDataConfig {
  allowNetwork: boolean;
  /** Whether downloads may reach loopback, private and link-local addresses (default: public addresses only). */
  allowPrivateNetwork: boolean;
  /** The most bytes one URL's body may have (after gunzip too). Default 100 MiB, Kusto's note for externaldata. */
  maxBytes: number;
  /** The longest one download may take. */
  timeoutMs: number;
}

export interface WorkspaceConfig {
  externalData: ExternalDataConfig;
}

export const DEFAULT_EXTERNAL_DATA: ExternalDataConfig = { allowNetwork: false, allowPrivateNetwork: false, maxBytes: 100 * 1024 * 1024, timeoutMs: 30_000 };

export class ConfigError extends Error {}

export function readWorkspaceConfig(dir: string): WorkspaceConfig {
  const file = insideWorkspace(dir, CONFIG_FILE);
  const config: WorkspaceConfig = { externalData: { ...DEFAULT_EXTERNAL_DATA } };
  if (!existsSync(file)) return config;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${file} is not JSON: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${file} must hold a JSON object`);
  const ext = (raw as Record<string, unknown>)['externalData'];
  if (ext === undefined) return config;
  if (!ext || typeof ext !== 'object' || Array.isArray(ext)) throw new ConfigError(`${file}: externalData must be an object`);
  for (const [k, v] of Object.entries(ext)) {
    if (k === 'allowNetwork' || k === 'allowPrivateNetwork') {
      if (typeof v !== 'boolean') throw new ConfigError(`${file}: externalData.${k} must be true or false`);
      config.externalData[k] = v;
    } else if (k === 'maxBytes' || k === 'timeoutMs') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new ConfigError(`${file}: externalData.${k} must be a positive whole number`);
      config.externalData[k] = v;
    } else throw new ConfigError(`${file}: unknown setting externalData.${k} (allowNetwork, allowPrivateNetwork, maxBytes, timeoutMs)`);
  }
  return config;
}

/**
 * The lint codes config.json turns off (`"lint": {"disable": ["LINT040", ...]}`), as written: whether each is
 * a lint code is the rules' to say. Never throws: what cannot be used is a problem naming the file and field,
 * and the rest still counts (one bad entry does not turn the others back on).
 */
export function readLintConfig(dir: string): { disable: string[]; problems: string[] } {
  const file = insideWorkspace(dir, CONFIG_FILE);
  const out = { disable: [] as string[], problems: [] as string[] };
  if (!existsSync(file)) return out;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    out.problems.push(`${file} is not JSON: ${(e as Error).message}`);
    return out;
  }
  const lint = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>)['lint'] : undefined;
  if (lint === undefined) return out;
  if (!lint || typeof lint !== 'object' || Array.isArray(lint)) {
    out.problems.push(`${file}: lint must be an object ({"disable": ["LINT040"]})`);
    return out;
  }
  for (const [k, v] of Object.entries(lint)) {
    if (k !== 'disable') out.problems.push(`${file}: unknown setting lint.${k} (disable)`);
    else if (!Array.isArray(v)) out.problems.push(`${file}: lint.disable must be a list of lint codes, e.g. ["LINT040"]`);
    else v.forEach((c, i) => (typeof c === 'string' ? out.disable.push(c) : out.problems.push(`${file}: lint.disable[${i}] must be a string (a lint code)`)));
  }
  return out;
}
