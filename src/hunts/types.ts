/**
 * The vocabulary of hunts: the rules a hunt runs (a structural subset of src/rules' Rule, so hunts can run
 * any rule-shaped object: built-in, imported, or a test fixture), findings, triage and suppressions.
 */
import type { TableSource } from '../engine/source.js';

export const SEVERITIES = ['informational', 'low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const TRIAGE_STATUSES = ['new', 'investigating', 'benign', 'malicious', 'closed'] as const;
export type TriageStatus = (typeof TRIAGE_STATUSES)[number];

/** What a hunt needs of a rule. */
export interface HuntRule {
  id: string;
  name: string;
  query: string;
  tables: string[];
  tool?: string;
  severity: Severity;
  status: 'valid' | 'warning' | 'error';
  tactics?: string[];
  techniques?: string[];
  tags?: string[];
  diagnostics?: { message: string }[];
  /** The language the rule was written in when not KQL ('sigma'); its query is the KQL made from it. */
  language?: string;
  /** Why the rule cannot run here (a Sigma rule whose logsource or fields have no table). */
  notRunnable?: string;
  /** Where the rule came from: `git` for a rule synced from a source (third-party content, see HuntOptions.sourcedExternalData). */
  source?: { kind: string };
}

/** What a hunt needs of the telemetry: a table source that knows its latest event time. */
export interface HuntSource extends TableSource {
  maxTimestamp(): bigint | undefined;
  /** One view for the whole hunt (see TableSource.snapshot): every rule sees the same tables and extents. */
  snapshot?(): HuntSource;
}

/** One result group of one rule, as the hunt extracted it from the result rows. */
export interface Observation {
  ruleId: string;
  groupKey: string;
  /** The group's key columns and values, e.g. {DeviceName: "laptop-07", RemoteUrl: "boot.net.anydesk.com"}. */
  key: Record<string, unknown>;
  device?: string;
  user?: string;
  signer?: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
  reportIds: string[];
  /** The result rows of the group (encoded as the JSON API encodes them), at most EVIDENCE_SAMPLE. */
  rows: Record<string, unknown>[];
}

export interface Finding {
  id: string;
  ruleId: string;
  ruleName: string;
  tool?: string;
  severity: Severity;
  status: TriageStatus;
  assignee?: string;
  key: Record<string, unknown>;
  device?: string;
  user?: string;
  signer?: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
  reportIds: string[];
  sample: Record<string, unknown>[];
  /** The latest result row of the group. */
  row: Record<string, unknown>;
  createdRun: number;
  updatedRun: number;
  createdAt: string;
  updatedAt: string;
  /** Set when an active suppression covers the finding (computed at read time, so expiry applies at once). */
  suppressedBy?: number;
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
}

export const EVIDENCE_SAMPLE = 20;
export const MAX_REPORT_IDS = 500;
