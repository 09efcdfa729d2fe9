/**
 * Imported rules live in the workspace's `rules/` folder, one JSON file per rule id holding the current
 * version and the history of earlier ones (a re-import that changes a rule bumps its version; an identical
 * one changes nothing). `loadRules` gives the built-in pack plus the imported rules, imports winning on id.
 */
import type * as Crypto from 'node:crypto';
import { lazyPackage } from '../common/lazy-package.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { insideWorkspace } from '../common/workspace-dir.js';
import { builtinRules, exampleRules } from './builtin.js';
import type { Rule } from './rule.js';
import { readSources } from './sources/config.js';
import { mergeRules } from './sources/merge.js';
import { readSourceRules } from './sources/store.js';

/** node:crypto when a hash is first made: commands that reach this module without hashing do not load it. */
const crypto = lazyPackage<typeof Crypto>('node:crypto');

export interface StoredRule {
  current: Rule;
  history: { version: number; importedAt?: string; contentHash: string; path?: string }[];
}

const fileNameFor = (id: string) => `${id.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
const contentHash = (r: Rule) => crypto().createHash('sha256').update(r.yaml).digest('hex');

export function rulesDir(workspaceDir: string): string {
  return insideWorkspace(workspaceDir, 'rules');
}

/** A stored rule file that cannot be read back (damaged or edited by hand): never skipped silently. */
export interface DamagedRuleFile { file: string; reason: string }

/** The workspace's imported rules, and the files under rules/ that could not be read. */
export function readRuleStore(workspaceDir: string): { stored: StoredRule[]; damaged: DamagedRuleFile[] } {
  const dir = rulesDir(workspaceDir);
  const stored: StoredRule[] = [];
  const damaged: DamagedRuleFile[] = [];
  if (!existsSync(dir)) return { stored, damaged };
  const names = readdirSync(dir).sort();
  for (const f of names.filter((n) => /\.json\.damaged-\d+$/.test(n))) damaged.push({ file: `rules/${f}`, reason: 'set aside by an import because it could not be read; the rule was stored again from its file' });
  for (const f of names.filter((n) => n.endsWith('.json'))) {
    try {
      const s = JSON.parse(readFileSync(insideWorkspace(dir, f), 'utf8')) as StoredRule;
      if (!s?.current?.id || typeof s.current.query !== 'string' || !Array.isArray(s.history)) throw new Error('not a stored rule (no current.id, query or history)');
      stored.push(s);
    } catch (e) {
      damaged.push({ file: `rules/${f}`, reason: (e as Error).message });
    }
  }
  return { stored, damaged };
}

export function readStoredRules(workspaceDir: string): StoredRule[] {
  return readRuleStore(workspaceDir).stored;
}

/** Saves an imported rule; returns 'new', 'updated' (new version) or 'unchanged'. Writes are atomic (tmp + rename). */
export function saveImportedRule(workspaceDir: string, rule: Rule): 'new' | 'updated' | 'unchanged' {
  const dir = rulesDir(workspaceDir);
  mkdirSync(dir, { recursive: true });
  const file = insideWorkspace(dir, fileNameFor(rule.id));
  const hash = contentHash(rule);
  let stored: StoredRule | undefined;
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, 'utf8')) as StoredRule;
    } catch {
      // keep the damaged file beside the new one (nothing is deleted) and start the rule's history again
      renameSync(file, `${file}.damaged-${Date.now()}`);
    }
  }
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

/**
 * Built-in rules, the workspace's imported rules (an import with a built-in's id replaces it) and the
 * synced sources' rules (removed-upstream ones left out), merged by query identity (sources/merge.ts).
 */
export function loadRules(workspaceDir?: string): Rule[] {
  const imported = workspaceDir ? readStoredRules(workspaceDir).map((s) => s.current) : [];
  const sources = workspaceDir ? readSources(workspaceDir).map((s) => Object.values(readSourceRules(workspaceDir, s.name)).filter((e) => !e.removedAt).map((e) => e.current)) : [];
  return mergeRules([...builtinRules(), ...exampleRules()], imported, sources);
}

/** Rules the sources no longer have, by id, with when they went (their pages and findings stay readable). */
export function removedRules(workspaceDir: string): Map<string, { rule: Rule; removedAt: string }> {
  const out = new Map<string, { rule: Rule; removedAt: string }>();
  for (const s of readSources(workspaceDir)) {
    for (const [id, e] of Object.entries(readSourceRules(workspaceDir, s.name))) if (e.removedAt && !out.has(id)) out.set(id, { rule: e.current, removedAt: e.removedAt });
  }
  return out;
}
