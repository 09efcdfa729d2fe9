/**
 * A detection rule as kqlite holds it: the Sentinel fields it came with (or was generated with), normalised,
 * plus its validation and where it came from. Imported and built-in rules share this shape.
 */
import type { Diagnostic } from '../common/diagnostics.js';

export type Severity = 'informational' | 'low' | 'medium' | 'high';
export type RuleKind = 'hunting' | 'analytic';
export type RuleStatus = 'valid' | 'warning' | 'error';

/**
 * A diagnostic of a rule: about its query (span into `query`) or, when `field` is set, about that field of
 * the definition (`tactics`, `severity`, ...; span into `yaml`). See rule-diagnostics.ts for file positions.
 */
export interface RuleDiagnostic extends Diagnostic {
  field?: string;
}

export interface RuleSource {
  /** builtin: generated or shipped; import: `kqlite rules import <dir>`; git: a synced source (`kqlite sources`). */
  kind: 'builtin' | 'import' | 'git';
  /** Display name of the content source, e.g. "kqlite RMM pack" or the imported folder's name. */
  name: string;
  /** Path of the file inside the imported folder (always '/'-separated). */
  path?: string;
  /** The imported folder, absolute. */
  folder?: string;
  /** Git commit of the folder when it is a git checkout. */
  commit?: string;
  importedAt?: string;
  /** License file found in the folder or an ancestor (its first line). */
  license?: string;
  /** The repository URL or path the source was added with (git sources). */
  repository?: string;
  /** Where a browser opens the original file (http/https only; never file://): the upstream file at `commit`. */
  webUrl?: string;
  /** Who wrote the rule (the file's `author` field), for attribution. */
  author?: string;
  /** For generated rules: the catalog facts the rule was built from. */
  generatedFrom?: string[];
  /** For generated rules: the upstream rule of the same tool and kind, when there is one. */
  upstream?: { id: string; file: string };
}

/** What a Sigma rule brings besides the fields every rule has (its page shows them; DRL 1.1 asks for the attribution). */
export interface SigmaMeta {
  author?: string;
  /** Sigma's status: stable, test, experimental, deprecated, unsupported. */
  status?: string;
  /** Sigma's level as written (critical becomes severity high). */
  level?: string;
  date?: string;
  modified?: string;
  references: string[];
  falsepositives: string[];
  /** The rule's licence: its own `license`, else its folder's licence file. */
  license: string;
  logsource: { product?: string; category?: string; service?: string };
  /** Where the converted query reads, in words ("Sysmon event 10 in WindowsEvent"). */
  target?: string;
}

export interface Rule {
  id: string;
  name: string;
  description: string;
  severity: Severity;
  /** True when the source did not declare a severity and kqlite derived it (see derivedSeverity). */
  severityDerived: boolean;
  kind: RuleKind;
  query: string;
  tables: string[];
  tactics: string[];
  techniques: string[];
  tags: string[];
  tool?: string;
  /** The kind of RMM rule (network connection, process creation, file signature) for generated and upstream rules. */
  detects?: 'netconn' | 'createproc' | 'filesig';
  status: RuleStatus;
  /** Diagnostics of the query (spans into `query`) and of definition fields (`field` set, spans into `yaml`). */
  diagnostics: RuleDiagnostic[];
  /** Known defects of the source file that were repaired on load, in words. */
  repairs: string[];
  source: RuleSource;
  /** The rule definition as YAML (the original file text for imports, generated text for built-ins). */
  yaml: string;
  /** Where the query starts in the source file (to place diagnostics at file line and column). */
  queryPosition?: { line: number; indent: number };
  /** Version number: 1 at first import, +1 whenever re-import changes the rule. */
  version: number;
  /** The rule's own `references:` (http/https URLs only; other schemes are dropped with a warning). */
  references?: string[];
  /** The same query (normalised text) reached from other sources or paths: one rule, every provenance. */
  alsoFrom?: RuleSource[];
  /** Hash of the query's tokens (comments and layout ignored): the same query from two places is one rule. */
  identity?: string;
  /** Language the rule was written in, when not KQL (Sigma rules keep their YAML in `yaml`; `query` is the KQL made from it). */
  language?: 'sigma';
  sigma?: SigmaMeta;
  /** Why the rule cannot run here (its logsource or fields have no table in kqlite); such a rule stays in the feed. */
  notRunnable?: string;
}
