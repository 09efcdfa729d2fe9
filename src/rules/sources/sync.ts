/**
 * `kqlite sources sync`: fetch the source's ref, list its files, read only those whose blob changed since
 * the last sync (with the same per-file reader `rules import` uses), and record what changed per rule:
 * new, updated (a new version, with the diff of query and metadata) or removed upstream. Rule ids are the
 * files' own (Sentinel `id`) or stable hashes of path and heading, so findings keep their rule across
 * versions. An unchanged source (same commit, same settings) costs one fetch and nothing else.
 */
import type * as Crypto from 'node:crypto';
import { lazyPackage } from '../../common/lazy-package.js';
import { createLibrary, type LibraryFunctionDef } from '../../kql/semantics/index.js';
import { MAX_RULE_FILE_BYTES, readRuleFile, type FileRead, RULE_FILE, RULE_TESTS_FILE, tooLargeProblem } from '../readers/index.js';
import type { Rule, RuleSource } from '../rule.js';
import { readSources, sourceDir, pathFilter, type SourceConfig } from './config.js';
import { ruleDiff, ruleFields } from './diff.js';
import { commitDate, fetchRef, listFiles, readBlobs, readBlobsBatched, type TreeEntry } from './git.js';
import { queryIdentity } from './identity.js';
import { libraryDefs } from './library.js';
import {
  appendChange, bumpGeneration, readSourceFunctions, readSourceRules, readSourceState, writeSourceData,
  type ChangeEntry, type FileState, type SourceRuleEntry, type SourceState,
} from './store.js';
import { fileWebUrl } from './web-url.js';
import { insideWorkspace } from '../../common/workspace-dir.js';

/** node:crypto when a hash is first made: commands that reach this module without hashing do not load it. */
const crypto = lazyPackage<typeof Crypto>('node:crypto');

/** Bumped when readers change what they make of a file, so the next sync reads every file again. */
export const READER_VERSION = 1;

export interface SyncProblem { file: string; line: number; column: number; reason: string }

export interface SyncReport {
  source: string;
  commit: string;
  previousCommit?: string;
  unchanged: boolean;
  files: number;
  /** Files of the source no reader looks at (images, JSON, scripts ...), within the include/exclude filters. */
  otherFiles: number;
  filesRead: number;
  rules: number;
  functions: number;
  skipped: number;
  failed: number;
  added: number;
  updated: number;
  removed: number;
  problems: SyncProblem[];
  durationMs: number;
}

const ruleHash = (r: Rule) => crypto().createHash('sha256').update(JSON.stringify([ruleFields(r), r.query])).digest('hex');

function licenseFrom(repo: string, tree: TreeEntry[]): string | undefined {
  const lic = tree.find((e) => /^(LICENSE|LICENCE|COPYING)(\.md|\.txt)?$/i.test(e.path));
  if (!lic || lic.size > MAX_RULE_FILE_BYTES) return undefined;
  const text = readBlobs(repo, [lic.blob]).get(lic.blob)?.toString('utf8') ?? '';
  const first = text.split('\n').map((l) => l.trim().replace(/^#+\s*/, '')).find((l) => l.length > 0) ?? '';
  return `${lic.path}${first ? ` (${first.slice(0, 80)})` : ''}`;
}

/** `readRuleFile`, with whatever a reader throws made this file's failure: one file never stops a sync. */
function readSafely(text: string, opts: Parameters<typeof readRuleFile>[1]): FileRead {
  try {
    return readRuleFile(text, opts);
  } catch (e) {
    const what = e instanceof RangeError && /call stack/i.test(e.message) ? 'nested too deeply to read' : (e as Error).message;
    return { kind: 'failed', problem: { line: 1, column: 1, reason: `could not be read: ${what}` } };
  }
}

export function syncSource(ws: string, name: string, opts: { now?: string; force?: boolean } = {}): SyncReport {
  const started = Date.now();
  const cfg = readSources(ws).find((s) => s.name === name);
  if (!cfg) throw new Error(`no source '${name}' (see kqlite sources list)`);
  const now = opts.now ?? new Date().toISOString();
  const repo = insideWorkspace(sourceDir(ws, name), 'repo.git');
  const commit = fetchRef(repo, cfg.url, cfg.ref);
  const state = readSourceState(ws, name);
  const configKey = JSON.stringify([READER_VERSION, cfg.include, cfg.exclude, cfg.webUrl ?? '', cfg.url]);
  const report: SyncReport = { source: name, commit, ...(state.commit ? { previousCommit: state.commit } : {}), unchanged: false, files: 0, otherFiles: 0, filesRead: 0, rules: 0, functions: 0, skipped: 0, failed: 0, added: 0, updated: 0, removed: 0, problems: [], durationMs: 0 };
  const tally = (files: Record<string, FileState>, stored: Record<string, SourceRuleEntry> | number) => {
    for (const [path, f] of Object.entries(files)) {
      report.files++;
      if (f.outcome === 'skipped') report.skipped++;
      if (f.outcome === 'functions') report.functions++;
      if (f.outcome === 'failed') { report.failed++; report.problems.push({ file: path, line: f.line ?? 1, column: f.column ?? 1, reason: f.reason ?? 'cannot be read' }); }
    }
    report.rules = typeof stored === 'number' ? stored : Object.values(stored).filter((e) => !e.removedAt).length;
  };
  if (!opts.force && state.commit === commit && state.configKey === configKey) {
    writeSourceData(ws, name, { state: { ...state, syncedAt: now } });
    // the rule count is in the state: an unchanged sync never reads the rules themselves
    tally(state.files, state.rules ?? readSourceRules(ws, name));
    report.otherFiles = state.otherFiles ?? 0;
    report.unchanged = true;
    report.durationMs = Date.now() - started;
    return report;
  }

  const wanted = pathFilter(cfg.include, cfg.exclude);
  const tree = listFiles(repo, commit);
  const inScope = tree.filter((e) => wanted(e.path));
  const ruleFiles = inScope.filter((e) => RULE_FILE.test(e.path) && !RULE_TESTS_FILE.test(e.path));
  report.otherFiles = inScope.length - ruleFiles.length;
  // a file over the cap is a failure of its own, never read (the rest load)
  const entries = ruleFiles.filter((e) => e.size <= MAX_RULE_FILE_BYTES);
  const tooLarge = ruleFiles.filter((e) => e.size > MAX_RULE_FILE_BYTES);
  const sameConfig = state.configKey === configKey;
  const license = licenseFrom(repo, tree);
  const changed = entries.filter((e) => !sameConfig || state.files[e.path]?.blob !== e.blob);
  const blobs = readBlobsBatched(repo, changed);
  report.filesRead = changed.length;

  // Functions first: rules are validated against the library this sync makes.
  const oldFunctions = readSourceFunctions(ws, name);
  const functions: Record<string, LibraryFunctionDef[]> = {};
  const present = new Set(entries.map((e) => e.path));
  const changedPaths = new Set(changed.map((e) => e.path));
  for (const [p, defs] of Object.entries(oldFunctions)) if (present.has(p) && !changedPaths.has(p)) functions[p] = defs;
  const texts = new Map<string, string>();
  for (const e of changed) {
    const text = blobs.get(e.blob)?.toString('utf8') ?? '';
    texts.set(e.path, text);
    if (/\.ya?ml$/i.test(e.path) && (text.includes('ParserQuery:') || text.includes('FunctionQuery:')) && /^(ParserQuery|FunctionQuery):/m.test(text)) {
      const r = readSafely(text, { path: e.path, source: { kind: 'git', name } });
      if (r.kind === 'functions') functions[e.path] = r.functions.map((f) => ({ ...f, origin: `${name}:${e.path}` }));
    }
  }
  const functionsChanged = JSON.stringify(functions) !== JSON.stringify(oldFunctions);
  const library = createLibrary(libraryDefs(ws, { source: name, functions }));

  // With new functions every rule file is read again (a rule may call one that now exists or changed).
  const toRead = functionsChanged ? entries : changed;
  if (functionsChanged) {
    const more = entries.filter((e) => !texts.has(e.path));
    const extra = readBlobsBatched(repo, more);
    for (const e of more) texts.set(e.path, extra.get(e.blob)?.toString('utf8') ?? '');
    report.filesRead = entries.length;
  }
  const stored = readSourceRules(ws, name);
  const base = (path: string): RuleSource => {
    const web = fileWebUrl(cfg, commit, path);
    return { kind: 'git', name, repository: cfg.url, commit, importedAt: now, ...(license ? { license } : {}), ...(web ? { webUrl: web } : {}) };
  };
  const readSet = new Set(toRead.map((e) => e.path));
  const files: Record<string, FileState> = {};
  const byPath = new Map<string, Rule[]>();
  for (const e of tooLarge) files[e.path] = { blob: e.blob, outcome: 'failed', ...tooLargeProblem(e.size) };
  for (const e of entries) {
    if (!readSet.has(e.path) && state.files[e.path]) {
      files[e.path] = state.files[e.path]!;
      continue;
    }
    const read = readSafely(texts.get(e.path) ?? '', { path: e.path, source: base(e.path), library });
    if (read.kind === 'rules') {
      for (const r of read.rules) if (r.query.trim()) r.identity = queryIdentity(r.query);
      byPath.set(e.path, read.rules);
      files[e.path] = { blob: e.blob, outcome: 'rules', ids: [] };
      for (const n of read.notes) report.problems.push({ file: e.path, ...n });
    } else if (read.kind === 'functions') files[e.path] = { blob: e.blob, outcome: 'functions' };
    else if (read.kind === 'skipped') files[e.path] = { blob: e.blob, outcome: 'skipped', reason: read.reason };
    else files[e.path] = { blob: e.blob, outcome: 'failed', reason: read.problem.reason, line: read.problem.line, column: read.problem.column };
  }

  // The new rule set: unchanged files keep their stored rules (provenance moved to this commit).
  const next = new Map<string, Rule>();
  const place = (r: Rule, path: string) => {
    const have = next.get(r.id);
    if (!have) { next.set(r.id, r); return; }
    if (have.identity && have.identity === r.identity) {
      (have.alsoFrom ??= []).push(r.source);
      return;
    }
    // the same id for a different query at another path: both kept, the later one named by its path
    r.id = `${r.id}@${path}`;
    next.set(r.id, r);
  };
  for (const path of Object.keys(files).sort()) {
    const f = files[path]!;
    if (f.outcome !== 'rules') continue;
    const fresh = byPath.get(path);
    if (fresh) {
      for (const r of fresh) place(r, path);
      f.ids = fresh.map((r) => r.id);
      continue;
    }
    for (const id of f.ids ?? []) {
      const s = stored[id]?.current;
      if (!s) continue;
      const web = fileWebUrl(cfg, commit, s.source.path ?? path);
      const r: Rule = { ...s, source: { ...s.source, commit, importedAt: now, ...(web ? { webUrl: web } : {}), ...(license ? { license } : {}) } };
      delete r.alsoFrom;
      place(r, path);
    }
  }

  const change: ChangeEntry = { at: now, source: name, ...(state.commit ? { fromCommit: state.commit } : {}), toCommit: commit, added: [], updated: [], removed: [], failed: 0 };
  const result: Record<string, SourceRuleEntry> = {};
  for (const [id, r] of next) {
    const old = stored[id];
    const hash = ruleHash(r);
    const entry = { version: 0, at: now, commit, hash, ...(r.source.path ? { path: r.source.path } : {}) };
    if (!old) {
      r.version = 1;
      result[id] = { current: r, history: [{ ...entry, version: 1 }] };
      change.added.push({ id, name: r.name, ...(r.source.path ? { path: r.source.path } : {}) });
    } else if (old.history[old.history.length - 1]?.hash !== hash || old.removedAt) {
      r.version = old.current.version + 1;
      result[id] = { current: r, history: [...old.history, { ...entry, version: r.version }] };
      change.updated.push({ id, name: r.name, ...(r.source.path ? { path: r.source.path } : {}), version: r.version, diff: ruleDiff(old.current, r) });
    } else {
      r.version = old.current.version;
      result[id] = { current: r, history: old.history };
    }
  }
  for (const [id, old] of Object.entries(stored)) {
    if (next.has(id)) continue;
    result[id] = old.removedAt ? old : { ...old, removedAt: now };
    if (!old.removedAt) change.removed.push({ id, name: old.current.name, ...(old.current.source.path ? { path: old.current.source.path } : {}) });
  }
  change.failed = Object.values(files).filter((f) => f.outcome === 'failed').length;
  report.added = change.added.length;
  report.updated = change.updated.length;
  report.removed = change.removed.length;
  const newState: SourceState = { commit, commitDate: commitDate(repo, commit), syncedAt: now, configKey, ...(license ? { license } : {}), files, otherFiles: report.otherFiles, rules: Object.values(result).filter((e) => !e.removedAt).length };
  writeSourceData(ws, name, { functions, rules: result, state: newState });
  if (change.added.length || change.updated.length || change.removed.length || state.commit !== commit) appendChange(ws, change);
  bumpGeneration(ws);
  tally(files, result);
  report.durationMs = Date.now() - started;
  return report;
}

/** Every configured source, or the one named. */
export function syncSources(ws: string, name?: string, opts: { now?: string; force?: boolean } = {}): SyncReport[] {
  const all: SourceConfig[] = readSources(ws);
  if (name && !all.some((s) => s.name === name)) throw new Error(`no source '${name}' (see kqlite sources list)`);
  return all.filter((s) => !name || s.name === name).map((s) => syncSource(ws, s.name, opts));
}
