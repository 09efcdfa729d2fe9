/**
 * The JSON API of `kqlite serve`: every route's request and response shape, in one module. The web app
 * imports this file as types only (checked by test/architecture.test.ts), so a change here is a compile
 * error on both sides. Values in result rows are encoded as Kusto's REST API v2 encodes them.
 *
 * Conventions: all routes live under /api/; list filters are query-string parameters; errors are
 * `ApiError` with an HTTP status (400 bad request, 401 missing/wrong token, 404 unknown id, 409 conflict,
 * 413 body too large, 500 internal); dates are ISO 8601 strings.
 */

export type Severity = 'informational' | 'low' | 'medium' | 'high';
export type RuleStatus = 'valid' | 'warning' | 'error';
export type TriageStatus = 'new' | 'investigating' | 'benign' | 'malicious' | 'closed';
export type Confidence = 'high' | 'medium' | 'low';
export type KqlType = 'bool' | 'datetime' | 'dynamic' | 'guid' | 'int' | 'long' | 'real' | 'string' | 'timespan' | 'decimal';

/** Every error response. `diagnostics` is set for KQL errors (positions are offsets into the query). */
export interface ApiError {
  error: { status: number; message: string; diagnostics?: ApiDiagnostic[] };
}

export interface ApiDiagnostic {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Offsets into the text the diagnostic is about (the query), end exclusive. */
  start: number;
  end: number;
  /** 1-based line and column of `start` (of a rule's diagnostic: in the rule file, `RuleDetail.yaml`). */
  line: number;
  column: number;
  /** A rule's diagnostic about a field of its definition (`tactics`, `severity`, ...): start/end are then offsets into `yaml`. */
  field?: string;
  suggestion?: string;
  /** The diagnostic rendered as the CLI prints it: the line and a caret. */
  rendered: string;
}

// ---- GET /api/status ------------------------------------------------------------------------------------

export interface TableInfo {
  name: string;
  rows: number;
  minTime?: string;
  maxTime?: string;
  columns: { name: string; type: KqlType }[];
}

export interface StatusResponse {
  version: string;
  workspace: string;
  tables: TableInfo[];
  /** The latest event time in the workspace: the default `now()` of hunts and queries. */
  latestEvent?: string;
  rules: { total: number; valid: number; warning: number; error: number; /** Stored rule files that cannot be read (not run). */ damaged: { file: string; reason: string }[] };
  /** `active`: findings no suppression covers, what "N findings" means everywhere in the app (header, rule cards). */
  findings: { total: number; active: number; suppressed: number; byStatus: Record<TriageStatus, number> };
  lastRun?: HuntRunInfo;
  /** True when every API request needs the bearer token (server bound to a non-loopback host). */
  tokenRequired: boolean;
}

// ---- GET /api/rules?q=&tactic=&technique=&table=&tool=&severity=&source=&status=&sort=&limit=&offset= -----
// `limit`/`offset` page the cards (default: all); `total` and the facets always count every match.

export const RULE_FACETS = ['tactic', 'technique', 'table', 'tool', 'severity', 'source', 'status', 'language'] as const;
export type RuleFacet = (typeof RULE_FACETS)[number];
/** `sort`: by name (default), by active findings (most first), by severity (highest first), by `updated` (newest first). */
export const RULE_SORTS = ['name', 'findings', 'severity', 'updated'] as const;
export type RuleSort = (typeof RULE_SORTS)[number];

export interface RuleCard {
  id: string;
  name: string;
  description: string;
  /** What the rule was written in: KQL, or Sigma (converted to KQL; its YAML is the definition). */
  language: 'KQL' | 'Sigma';
  severity: Severity;
  severityDerived: boolean;
  kind: 'hunting' | 'analytic';
  source: string;
  sourceKind: 'builtin' | 'import' | 'git';
  tactics: string[];
  techniques: string[];
  tables: string[];
  tags: string[];
  tool?: string;
  status: RuleStatus;
  /** Active findings (no suppression covers them). */
  findings: number;
  /** When the rule last changed: the import that last changed it, or the RMM catalog's build for built-in rules (ISO date). */
  updated?: string;
  /** Why the rule cannot run here (a Sigma rule whose logsource or fields have no table); it stays in the feed. */
  notRunnable?: string;
}

export interface FacetCount { value: string; count: number }

export interface RulesResponse {
  /** Rules matching every filter, in the order `sort` asks for (ties by name). */
  rules: RuleCard[];
  total: number;
  /** Per facet, the values among the rules matching the other filters and the search, with counts. */
  facets: Record<RuleFacet, FacetCount[]>;
}

// ---- GET /api/rules/:id -----------------------------------------------------------------------------------

export interface Sourced<T> { value: T; source: string; confidence: Confidence }

export interface RuleDetail extends RuleCard {
  query: string;
  /** The rule definition YAML (the original file for imports). */
  yaml: string;
  version: number;
  repairs: string[];
  diagnostics: ApiDiagnostic[];
  /** The rule lint's findings (`kqlite check`'s LINTxxx codes, docs/LINT.md), with the same codes turned off. */
  lint: RuleLint;
  provenance: {
    kind: 'builtin' | 'import' | 'git';
    name: string;
    path?: string;
    commit?: string;
    importedAt?: string;
    license?: string;
    generatedFrom?: string[];
    upstream?: { id: string; file: string };
    /** When retrieved (imported or generated), for the "retrieved ... · confidence ..." line. */
    retrieved?: string;
    /** The repository the source was added with (git sources). */
    repository?: string;
    /** The upstream file at the synced commit (http/https only): "View original rule at <source> →" and the footer. */
    webUrl?: string;
    author?: string;
    /** Set when the rule is no longer in its source (its page and findings stay readable). */
    removedAt?: string;
  };
  /** Every place this rule (by query identity) was found: the primary source first. */
  origins: RuleOrigin[];
  /** Link to the original rule file as served by /api/rules/:id/file. */
  fileUrl: string;
  enrichment: {
    hypothesis: Sourced<string>;
    attack: Sourced<{
      tactics: { id: string; name: string; description: string; url: string }[];
      techniques: { id: string; name: string; description: string; url: string }[];
      suggestedSubtechnique?: { id: string; name: string; url: string; why: string };
    }>;
    dataSources: Sourced<{ table: string; present: boolean | null }[]>;
    references: Sourced<{ title: string; url: string }[]>;
    falsePositives: Sourced<{ guidance: string; clauses: { title: string; kql: string; why: string }[] }>;
    /** Sigma rules: their authors and licence (DRL 1.1 asks for both on the page), status, level, logsource. */
    attribution?: Sourced<{ author: string; license: string; status?: string; level?: string; date?: string; modified?: string; logsource: string; notRunnable?: string }>;
  };
  recentFindings: FindingSummary[];
}

/** A lint finding: where it is (`line`/`column` in the rule file, as `kqlite check` reports it) and what the code means. */
export interface LintFinding extends ApiDiagnostic {
  /** The code's short name, e.g. `no-time-filter`. */
  name: string;
  /** What the code means, in one line. */
  summary: string;
  /** The code's section in docs/LINT.md: why it matters and how to fix it. */
  docsUrl: string;
  /**
   * The line the finding is on, as shown: of the rule file (`in: 'file'`), or of the query where the file does
   * not hold it line for line (`in: 'query'`). `start`..`end` (0-based, end exclusive) is the span in `text`;
   * a long line is cut to a window around the span, marked with `…`.
   */
  excerpt: { in: 'file' | 'query'; line: number; text: string; start: number; end: number };
}

export interface RuleLint {
  /** The rule version these findings were computed for (they are kept until the rule or the settings change). */
  version: number;
  findings: LintFinding[];
  /** Codes turned off: by the workspace's config.json (`"lint": {"disable": [...]}`), and by `kqlite-disable:` comments in the rule. */
  disabled: { config: string[]; rule: string[] };
  /** Lint settings in config.json that could not be used (an unknown code, a file that is not JSON), each naming the file and field. */
  configProblems: string[];
}

export interface RuleOrigin {
  kind: 'builtin' | 'import' | 'git';
  name: string;
  path?: string;
  commit?: string;
  webUrl?: string;
  license?: string;
  author?: string;
  retrieved?: string;
}

// ---- GET /api/changes?since=&source= : what each source sync changed, newest first ------------------------

export interface RuleChangeDiff {
  /** The query's lines, each marked ' ' (same), '-' (removed) or '+' (added). */
  query: { op: ' ' | '-' | '+'; text: string }[];
  fields: { field: string; before: string; after: string }[];
}

export interface SyncChange {
  at: string;
  source: string;
  fromCommit?: string;
  toCommit: string;
  added: { id: string; name: string; path?: string }[];
  updated: { id: string; name: string; path?: string; version: number; diff: RuleChangeDiff }[];
  removed: { id: string; name: string; path?: string }[];
  failed: number;
}

export interface ChangesResponse { changes: SyncChange[] }
// GET /feed.atom and /feed.json: the feed (same filters as /api/rules) as Atom 1.0 and JSON Feed 1.1.

// ---- /api/hunts -------------------------------------------------------------------------------------------

/** POST /api/hunts: run rules now. `rules` are selectors as `kqlite hunt --rules` takes them (ids, tools, techniques, globs). */
export interface HuntRequest {
  rules?: string[];
  /** `now()` for every rule; default: the latest event in the workspace. */
  asOf?: string;
}

export interface HuntRuleOutcome {
  ruleId: string;
  ruleName: string;
  outcome: 'ok' | 'skipped' | 'failed';
  reason?: string;
  rows: number;
  findingsNew: number;
  findingsUpdated: number;
  /** Seen again with the same evidence. */
  findingsUnchanged?: number;
  durationMs: number;
}

export interface HuntRunInfo {
  id: number;
  startedAt: string;
  finishedAt?: string;
  asOf: string;
  rulesRun: number;
  rulesSkipped: number;
  rulesFailed: number;
  findingsNew: number;
  findingsUpdated: number;
  /** Seen again with the same evidence. */
  findingsUnchanged?: number;
  findingsSuppressed: number;
  by: string;
  /** 'completed', 'completed with failures', 'running' or 'failed'. */
  outcome?: string;
  /** Why a failed run failed (an interrupted one: its process ended). */
  error?: string;
}

export interface HuntResponse {
  run: HuntRunInfo;
  asOfSource: 'request' | 'latest event' | 'wall clock';
  rowsScanned: number;
  durationMs: number;
  rules: HuntRuleOutcome[];
  /** Findings of this run's rules after the run (new and updated). */
  findings: FindingSummary[];
}

/** GET /api/hunts: past runs, newest first. GET /api/hunts/:id answers a `HuntResponse` for one run
 *  (its findings as they are now; `rules` empty while it runs). */
export interface HuntsResponse { runs: HuntRunInfo[] }

// ---- /api/findings ----------------------------------------------------------------------------------------

/** GET /api/findings?status=&tool=&device=&rule=&severity=&since=&until=&suppressed=true|false|only&q=&limit=&offset= */
export interface FindingSummary {
  id: string;
  ruleId: string;
  ruleName: string;
  tool?: string;
  severity: Severity;
  status: TriageStatus;
  assignee?: string;
  device?: string;
  user?: string;
  signer?: string;
  key: Record<string, unknown>;
  /** The key without the device: what tells one rule's findings on one device apart (e.g. RemoteUrl), as text. */
  what: { column: string; value: string }[];
  firstSeen: string;
  lastSeen: string;
  count: number;
  suppressed: boolean;
  suppressedBy?: number;
}

export interface FindingsResponse {
  /** The page asked for (`offset`, `limit`; every match without `limit`), newest last-seen first. */
  findings: FindingSummary[];
  /** Every match, and how many of them a suppression covers. */
  total: number;
  allowed: number;
  facets: { status: FacetCount[]; tool: FacetCount[]; device: FacetCount[]; rule: FacetCount[]; severity: FacetCount[] };
}

export interface FindingNote { at: string; by: string; text: string }
export interface AuditEntry { at: string; by: string; action: string; detail: Record<string, unknown> }

/** GET /api/findings/:id */
export interface FindingDetail extends FindingSummary {
  reportIds: string[];
  /** Evidence: a bounded sample of result rows (v2-encoded values). */
  sample: Record<string, unknown>[];
  row: Record<string, unknown>;
  notes: FindingNote[];
  audit: AuditEntry[];
  createdAt: string;
  updatedAt: string;
}

/** PATCH /api/findings/:id: at least one field. Every change is audited. */
export interface TriageRequest {
  status?: TriageStatus;
  assignee?: string;
  note?: string;
}

/** GET /api/timeline?device=X | ?tool=Y: hourly activity from the findings' evidence. */
export interface TimelineResponse {
  subject: { device?: string; tool?: string };
  /** Hour buckets (ISO start time), one series per tool (device view) or device (tool view). */
  points: { time: string; series: string; count: number }[];
  findings: FindingSummary[];
}

// ---- /api/coverage ----------------------------------------------------------------------------------------

export interface CoverageTechnique {
  id: string;
  name: string;
  url: string;
  /** Rules claiming this technique (or one of its sub-techniques). */
  rules: { id: string; name: string; status: RuleStatus; findings: number }[];
  validRules: number;
  findings: number;
}

export interface CoverageResponse {
  attackVersion: string;
  /** The matrix: ATT&CK Enterprise tactics in kill-chain order, each with all its techniques. */
  tactics: { id: string; name: string; shortname: string; techniques: CoverageTechnique[] }[];
  totals: { techniques: number; covered: number; withFindings: number; rulesWithoutTechniques: number };
}
// GET /api/coverage/navigator: the ATT&CK Navigator layer (JSON download).

// ---- /api/data: what the workspace holds, and what ingest set aside --------------------------------------

export interface DataTable {
  name: string;
  rows: number;
  extents: number;
  bytesOnDisk: number;
  quarantined: number;
  minTime?: string;
  maxTime?: string;
}

/** A record ingest could not load: where it was (line, record index, or byte of a damaged .gz) and why. */
export interface QuarantineRecord {
  file: string;
  line?: number;
  offset?: number;
  byte?: number;
  table?: string;
  reason: string;
  /** The record's text, cut at 2,000 characters. */
  raw?: string;
}

/** GET /api/data?table=T&limit=N: the tables, and the quarantined records (of table T; the first N, default 200). */
export interface DataResponse {
  tables: DataTable[];
  quarantine: { total: number; records: QuarantineRecord[] };
}

// ---- /api/inventory and /api/suppressions ----------------------------------------------------------------

export type InventoryState = 'sanctioned' | 'observed' | 'unwanted';

export interface InventoryEntry {
  tool: string;
  device: string;
  users: string[];
  firstSeen: string;
  lastSeen: string;
  findings: number;
  rules: string[];
  state: InventoryState;
  secondTool?: { sanctioned: string[] };
}

export interface Suppression {
  id: number;
  target: string;
  targetKind: 'tool' | 'rule';
  device?: string;
  user?: string;
  signer?: string;
  reason: string;
  expires?: string;
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
  active: boolean;
}

export interface InventoryResponse { entries: InventoryEntry[]; suppressions: Suppression[] }

/** POST /api/suppressions: allow a tool (or rule) in a scope. `reason` is required. */
export interface AllowRequest {
  target: string;
  targetKind?: 'tool' | 'rule';
  device?: string;
  user?: string;
  signer?: string;
  reason: string;
  expires?: string;
}
// DELETE /api/suppressions/:id revokes (kept, audited) and returns the Suppression.

// ---- /api/schema and /api/query ---------------------------------------------------------------------------

/** GET /api/schema: the tables the workbench's editor knows (workspace tables plus the Defender schemas). */
export interface SchemaResponse {
  database: string;
  tables: { name: string; inWorkspace: boolean; columns: { name: string; type: KqlType }[] }[];
}

/** POST /api/query */
export interface QueryRequest {
  query: string;
  /** `now()` for the query (ISO 8601); default the latest event in the workspace. */
  asOf?: string;
  /** Rows returned (default 10,000, at most 100,000). */
  maxRows?: number;
  /** Default 30,000 ms, at most 300,000. */
  timeoutMs?: number;
  /** A client-chosen id, so the query can be cancelled with POST /api/query/:clientId/cancel. */
  clientId?: string;
  /** Run on this saved remote engine (GET /api/remotes) instead of the workspace. */
  remote?: string;
}

/** GET /api/remotes: the remote engines saved in the workspace (kqlite remotes add), for the workbench. */
export interface RemotesResponse {
  remotes: { name: string; kind: 'kusto' | 'log-analytics' | 'defender'; where: string }[];
}

export interface QueryColumn { name: string; type: KqlType }

export interface QueryResponse {
  ok: true;
  asOf: string;
  tables: { name: string; columns: QueryColumn[]; rows: unknown[][]; totalRows: number; truncated: boolean }[];
  warnings: string[];
  diagnostics: ApiDiagnostic[];
  stats: { rowsScanned: number; durationMs: number };
  /** The remote engine that answered, when not the workspace. */
  remote?: string;
}
// A query that does not compile or fails at run time answers 400 with ApiError.diagnostics;
// a cancelled one 409 ("cancelled"), one over its time limit 408.

/** POST /api/query/:clientId/cancel */
export interface CancelResponse { cancelled: boolean }
