/**
 * What reading one file of a rule folder or source gives: rules, stored functions (parsers), nothing (the
 * file is not a rule: skipped and counted), or a problem with file position (it should be a rule but
 * cannot be read). Readers never throw and never execute anything: rule files are data.
 */
import type { LibraryFunctionDef } from '../../kql/semantics/index.js';
import type { Rule, RuleSource } from '../rule.js';

export interface FileProblem {
  line: number;
  column: number;
  reason: string;
}

export type FileRead =
  | { kind: 'rules'; rules: Rule[]; notes: FileProblem[] }
  | { kind: 'functions'; functions: LibraryFunctionDef[] }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; problem: FileProblem };

export interface ReadOptions {
  /** Provenance every rule of the file gets (path included). */
  source: RuleSource;
  /** Folder-relative path, '/'-separated. */
  path: string;
  /** Stored functions the queries may call (validation). */
  library?: import('../../kql/semantics/index.js').FunctionLibrary;
}
