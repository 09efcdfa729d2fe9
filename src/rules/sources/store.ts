/**
 * A source's synced content in the workspace, under `sources/<name>/`: `repo.git` (the bare repository),
 * `rules.json` (every rule with its version history; rules removed upstream are kept aside with their last
 * content), `functions.json` (parser functions), `state.json` (the last commit, each file's blob and what
 * became of it, the problems). `sources/changes.jsonl` is the log of what each sync changed, and
 * `sources/generation` is rewritten after every change so readers (the server) know to reload.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { insideWorkspace } from '../../common/workspace-dir.js';
import type { LibraryFunctionDef } from '../../kql/semantics/index.js';
import type { Rule } from '../rule.js';
import type { RuleDiff } from './diff.js';
import { sourceDir, sourcesDir } from './config.js';

export interface SourceRuleEntry {
  current: Rule;
  history: { version: number; at: string; commit: string; hash: string; path?: string }[];
  /** Set when the rule is no longer in the source (kept so its page, findings and history stay readable). */
  removedAt?: string;
}

export interface FileState {
  blob: string;
  outcome: 'rules' | 'functions' | 'skipped' | 'failed';
  ids?: string[];
  reason?: string;
  line?: number;
  column?: number;
}

export interface SourceState {
  commit?: string;
  commitDate?: string;
  syncedAt?: string;
  /** Changes when the reader, filters or web URL change: then every file is read again. */
  configKey?: string;
  license?: string;
  /** Rules in the source now (removed ones not counted). */
  rules?: number;
  otherFiles?: number;
  files: Record<string, FileState>;
}

export interface ChangeEntry {
  at: string;
  source: string;
  fromCommit?: string;
  toCommit: string;
  added: { id: string; name: string; path?: string }[];
  updated: { id: string; name: string; path?: string; version: number; diff: RuleDiff }[];
  removed: { id: string; name: string; path?: string }[];
  /** Files that should be rules but could not be read. */
  failed: number;
}

function readJson<T>(file: string, fallback: T): T {
  if (!existsSync(file)) return fallback;
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file + '.tmp', JSON.stringify(value));
  renameSync(file + '.tmp', file);
}

export const sourceFile = (ws: string, name: string, file: string) => insideWorkspace(sourceDir(ws, name), file);

export function readSourceRules(ws: string, name: string): Record<string, SourceRuleEntry> {
  return readJson<{ rules: Record<string, SourceRuleEntry> }>(sourceFile(ws, name, 'rules.json'), { rules: {} }).rules;
}

export function readSourceState(ws: string, name: string): SourceState {
  return readJson<SourceState>(sourceFile(ws, name, 'state.json'), { files: {} });
}

export function readSourceFunctions(ws: string, name: string): Record<string, LibraryFunctionDef[]> {
  return readJson<{ functions: Record<string, LibraryFunctionDef[]> }>(sourceFile(ws, name, 'functions.json'), { functions: {} }).functions;
}

export function writeSourceData(ws: string, name: string, data: { rules?: Record<string, SourceRuleEntry>; state?: SourceState; functions?: Record<string, LibraryFunctionDef[]> }): void {
  mkdirSync(sourceDir(ws, name), { recursive: true });
  if (data.functions) writeJson(sourceFile(ws, name, 'functions.json'), { functions: data.functions });
  if (data.rules) writeJson(sourceFile(ws, name, 'rules.json'), { rules: data.rules });
  if (data.state) writeJson(sourceFile(ws, name, 'state.json'), data.state);
}

export function bumpGeneration(ws: string): void {
  mkdirSync(sourcesDir(ws), { recursive: true });
  writeFileSync(insideWorkspace(ws, 'sources', 'generation'), `${Date.now()}-${process.pid}-${Math.random()}`);
}

/** Text that changes whenever any source's content changes (for caches). */
export function sourcesGeneration(ws: string): string {
  const f = insideWorkspace(ws, 'sources', 'generation');
  return existsSync(f) ? readFileSync(f, 'utf8') : '-';
}

export function appendChange(ws: string, entry: ChangeEntry): void {
  mkdirSync(sourcesDir(ws), { recursive: true });
  appendFileSync(insideWorkspace(ws, 'sources', 'changes.jsonl'), JSON.stringify(entry) + '\n');
}

/** Every sync's changes, newest first; `since` (ISO date) keeps the later ones. A damaged line is skipped and counted. */
export function readChanges(ws: string, opts: { since?: string; source?: string } = {}): { changes: ChangeEntry[]; damaged: number } {
  const f = insideWorkspace(ws, 'sources', 'changes.jsonl');
  if (!existsSync(f)) return { changes: [], damaged: 0 };
  const since = opts.since ? Date.parse(opts.since) : undefined;
  const changes: ChangeEntry[] = [];
  let damaged = 0;
  for (const line of readFileSync(f, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const c = JSON.parse(line) as ChangeEntry;
      if (since !== undefined && Date.parse(c.at) < since) continue;
      if (opts.source && c.source !== opts.source) continue;
      changes.push(c);
    } catch {
      damaged++;
    }
  }
  return { changes: changes.reverse(), damaged };
}
