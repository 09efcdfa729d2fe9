/**
 * Imported rules live in the workspace's `rules/` folder, one JSON file per rule id holding the current
 * version and the history of earlier ones (a re-import that changes a rule bumps its version; an identical
 * one changes nothing). `loadRules` gives the built-in pack plus the imported rules, imports winning on id.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { insideWorkspace } from '../common/workspace-dir.js';
import { builtinRules } from './generate.js';
import type { Rule } from './rule.js';

export interface StoredRule {
  current: Rule;
  history: { version: number; importedAt?: string; contentHash: string; path?: string }[];
}

const fileNameFor = (id: string) => `${id.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
const contentHash = (r: Rule) => createHash('sha256').update(r.yaml).digest('hex');

export function rulesDir(workspaceDir: string): string {
  return insideWorkspace(workspaceDir, 'rules');
}

export function readStoredRules(workspaceDir: string): StoredRule[] {
  const dir = rulesDir(workspaceDir);
  if (!existsSync(dir)) return [];
  const out: StoredRule[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    try {
      out.push(JSON.parse(readFileSync(insideWorkspace(dir, f), 'utf8')) as StoredRule);
    } catch {
      // a damaged file is skipped here and reported by `kqlite rules validate`
    }
  }
  return out;
}

/** Saves an imported rule; returns 'new', 'updated' (new version) or 'unchanged'. Writes are atomic (tmp + rename). */
export function saveImportedRule(workspaceDir: string, rule: Rule): 'new' | 'updated' | 'unchanged' {
  const dir = rulesDir(workspaceDir);
  mkdirSync(dir, { recursive: true });
  const file = insideWorkspace(dir, fileNameFor(rule.id));
  const hash = contentHash(rule);
  let stored: StoredRule | undefined;
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as StoredRule;
  let outcome: 'new' | 'updated' | 'unchanged';
  if (!stored) {
    rule.version = 1;
    stored = { current: rule, history: [{ version: 1, importedAt: rule.source.importedAt, contentHash: hash, path: rule.source.path }] };
    outcome = 'new';
  } else if (stored.history[stored.history.length - 1]?.contentHash === hash) {
    return 'unchanged';
  } else {
    rule.version = stored.current.version + 1;
    stored = { current: rule, history: [...stored.history, { version: rule.version, importedAt: rule.source.importedAt, contentHash: hash, path: rule.source.path }] };
    outcome = 'updated';
  }
  writeFileSync(file + '.tmp', JSON.stringify(stored, null, 1));
  renameSync(file + '.tmp', file);
  return outcome;
}

/** Built-in rules plus the workspace's imported rules (an import with a built-in's id replaces it). */
export function loadRules(workspaceDir?: string): Rule[] {
  const imported = workspaceDir ? readStoredRules(workspaceDir).map((s) => s.current) : [];
  const ids = new Set(imported.map((r) => r.id));
  return [...builtinRules().filter((r) => !ids.has(r.id)), ...imported];
}
