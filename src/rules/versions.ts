/**
 * The two versions of changed rules, for impact analysis (`kqlite hunt --compare`): rule files in a git work
 * tree now against the same paths at a git ref (read from git's object store with the system git, never
 * checked out), or one rule file against the rule of the same id kqlite already has. Files are read by the
 * same per-file reader as `rules import`; a file that should be a rule but cannot be read is a problem named
 * with its path, one that is not a rule (a README, a parser) is left out.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { readRuleFile, RULE_FILE } from './readers/index.js';
import type { Rule, RuleSource } from './rule.js';
import { gitInWorkTree, readBlobs } from './sources/git.js';

export interface RuleChange {
  /** Path of the file, relative to the repository root (git) or as given (a rule file). */
  file: string;
  change: 'modified' | 'added' | 'removed';
  old?: Rule;
  new?: Rule;
}

export interface RuleVersions {
  /** What the rules are compared against: the ref as given and the commit it named, or the workspace's rule. */
  base: { ref: string; commit?: string };
  changes: RuleChange[];
  /** Files that changed but could not be read as rules, with why. */
  problems: { file: string; reason: string }[];
}

function rulesOf(text: string, path: string, source: RuleSource): { rules: Rule[] } | { problem: string } {
  const read = readRuleFile(text, { path, source });
  if (read.kind === 'rules') return { rules: read.rules };
  if (read.kind === 'failed') return { problem: `line ${read.problem.line}, column ${read.problem.column}: ${read.problem.reason}` };
  // a file that is not a rule (a README, a parser) has no rules to compare
  return { rules: [] };
}

/** Pairs the rules of two versions of one file by id (a file may hold several: Markdown pages). */
function pairRules(file: string, before: Rule[], after: Rule[]): RuleChange[] {
  const out: RuleChange[] = [];
  const old = new Map(before.map((r) => [r.id, r]));
  // one rule on each side is the same rule even when its id was edited
  if (before.length === 1 && after.length === 1) return [{ file, change: 'modified', old: before[0]!, new: after[0]! }];
  for (const r of after) {
    const o = old.get(r.id);
    old.delete(r.id);
    out.push(o ? { file, change: 'modified', old: o, new: r } : { file, change: 'added', new: r });
  }
  for (const o of old.values()) out.push({ file, change: 'removed', old: o });
  return out;
}

function filesUnder(path: string, out: string[]): void {
  const st = statSync(path);
  if (!st.isDirectory()) {
    out.push(path);
    return;
  }
  for (const e of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const p = resolve(path, e.name);
    if (e.isDirectory()) filesUnder(p, out);
    else if (e.isFile() && RULE_FILE.test(e.name)) out.push(p);
  }
}

/**
 * The rules under `paths` (files or folders of a git work tree) that differ from the same paths at `ref`:
 * modified, added (only in the work tree, committed or not) and removed (only at `ref`).
 */
export function ruleVersionsSince(ref: string, paths: readonly string[]): RuleVersions {
  const abs = paths.map((p) => resolve(p));
  const first = abs[0] ?? resolve('.');
  const dir = statSync(first, { throwIfNoEntry: false })?.isDirectory() ? first : resolve(first, '..');
  const root = gitInWorkTree(dir, ['rev-parse', '--show-toplevel']).toString('utf8').trim();
  const gitDir = gitInWorkTree(dir, ['rev-parse', '--absolute-git-dir']).toString('utf8').trim();
  let commit: string;
  try {
    commit = gitInWorkTree(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).toString('utf8').trim();
  } catch {
    throw new Error(`'${ref}' is neither a rule file nor a commit of the git repository at ${root}`);
  }
  const rel = (p: string) => relative(root, p).split(sep).join('/');
  const inside = abs.map(rel);
  for (const [i, r] of inside.entries()) if (r.startsWith('..')) throw new Error(`${paths[i]} is outside the git repository at ${root}`);
  // the files at the ref under the same paths
  const listed = gitInWorkTree(root, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...inside.map((p) => p || '.')]).toString('utf8');
  const atRef = new Map<string, string>();
  for (const rec of listed.split('\0')) {
    const tab = rec.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, blob] = rec.slice(0, tab).split(' ');
    const path = rec.slice(tab + 1);
    if (type === 'blob' && mode !== '120000' && RULE_FILE.test(path)) atRef.set(path, blob!);
  }
  const blobs = readBlobs(gitDir, [...atRef.values()]);
  const now = new Map<string, string>();
  for (const p of abs) {
    const files: string[] = [];
    filesUnder(p, files);
    for (const f of files) now.set(rel(f), readFileSync(f, 'utf8'));
  }
  const source = (path: string, at: string): RuleSource => ({ kind: 'import', name: at, path });
  const versions: RuleVersions = { base: { ref, commit }, changes: [], problems: [] };
  for (const path of [...new Set([...atRef.keys(), ...now.keys()])].sort()) {
    const before = atRef.has(path) ? blobs.get(atRef.get(path)!)?.toString('utf8') : undefined;
    const after = now.get(path);
    if (before === after) continue;
    const old = before === undefined ? { rules: [] } : rulesOf(before, path, source(path, ref));
    const cur = after === undefined ? { rules: [] } : rulesOf(after, path, source(path, 'work tree'));
    if ('problem' in old || 'problem' in cur) {
      versions.problems.push({ file: path, reason: 'problem' in cur ? cur.problem : `at ${ref}: ${(old as { problem: string }).problem}` });
      continue;
    }
    versions.changes.push(...pairRules(path, old.rules, cur.rules));
  }
  return versions;
}

/** One rule file against the rules kqlite has (the same id): modified, or added when none has it. */
export function ruleVersionsOfFile(file: string, current: readonly Rule[]): RuleVersions {
  const path = file.split(sep).join('/');
  const read = rulesOf(readFileSync(file, 'utf8'), path, { kind: 'import', name: 'compare', path });
  if ('problem' in read) return { base: { ref: 'workspace' }, changes: [], problems: [{ file: path, reason: read.problem }] };
  const changes = read.rules.map((r): RuleChange => {
    const old = current.find((c) => c.id === r.id);
    return old ? { file: path, change: 'modified', old, new: r } : { file: path, change: 'added', new: r };
  });
  return { base: { ref: 'workspace' }, changes, problems: [] };
}
