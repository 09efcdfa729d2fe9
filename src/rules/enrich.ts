/**
 * Enrichment: what a feed page shows for a rule, computed deterministically from the rule itself, the table
 * schemas, the RMM catalog and ATT&CK, each field carrying where it came from and how sure we are. Nothing
 * is invented: a field with no grounding is left out rather than filled with generic text.
 */
import { checkQuery } from '../kql/semantics/index.js';
import { ATTACK_VERSION, findTactic, findTechnique } from './attack.js';
import { findTool, otherToolsSignedBy, type RmmTool } from './catalog.js';
import { kqlList, kqlString } from './kql-text.js';
import type { Rule } from './rule.js';

export type Confidence = 'high' | 'medium' | 'low';
export interface Sourced<T> { value: T; source: string; confidence: Confidence }

export interface FalsePositiveClause { title: string; kql: string; why: string }

export interface Enrichment {
  badges: Sourced<{ language: 'KQL' | 'Sigma'; severity: string; severityDerived: boolean; source: string; techniques: string[]; tables: string[]; tags: string[] }>;
  hypothesis: Sourced<string>;
  attack: Sourced<{
    tactics: { id: string; name: string; description: string; url: string }[];
    techniques: { id: string; name: string; description: string; url: string }[];
    suggestedSubtechnique?: { id: string; name: string; url: string; why: string };
  }>;
  dataSources: Sourced<{ table: string; present: boolean | null }[]>;
  references: Sourced<{ title: string; url: string }[]>;
  falsePositives: Sourced<{ guidance: string; clauses: FalsePositiveClause[] }>;
  /** For Sigma rules: who wrote the rule and under which licence (DRL 1.1 asks for this attribution on the page). */
  attribution?: Sourced<Attribution>;
  /** Labelled output of an optional LLM enricher; absent unless one is configured. */
  llm?: { provider: string; text: string; label: 'machine-generated, unverified' };
}

export interface Attribution {
  author: string;
  license: string;
  status?: string;
  level?: string;
  date?: string;
  modified?: string;
  /** The logsource as written and where kqlite reads it ("process_creation → DeviceProcessEvents"). */
  logsource: string;
  /** Why the rule cannot run here, when it cannot. */
  notRunnable?: string;
}

/** An optional extra enricher (e.g. an LLM). Off by default; its output is always labelled as such. */
export interface ExtraEnricher {
  name: string;
  enrich(rule: Rule): string | undefined;
}

const UPSTREAM_REPO = 'https://github.com/jischell-msft/RemoteManagementMonitoringTools/blob/main/';

const WHAT: Record<string, (tool: string) => string> = {
  netconn: (t) => `network connections to the infrastructure of ${t}`,
  createproc: (t) => `processes started from the binaries of ${t}`,
  filesig: (t) => `files signed with the code-signing identity of ${t}`,
};

function hypothesisOf(rule: Rule, tool: RmmTool | undefined, technique: string | undefined): Sourced<string> {
  const table = rule.tables.join(', ') || 'the telemetry';
  if (tool && rule.detects) {
    return {
      value: `If an adversary has installed or launched ${tool.name} to control a device remotely${technique ? ` (${technique})` : ''}, ${table} will show ${WHAT[rule.detects]!(tool.name)} on that device. Where ${tool.name} is not a sanctioned tool, each device found is a candidate intrusion: confirm who installed it, when, and whether a help-desk call or phishing lure preceded it.`,
      source: `rule query (${rule.detects}) + RMM catalog entry '${tool.name}'`,
      confidence: 'high',
    };
  }
  if (rule.language === 'sigma' && rule.description) {
    return {
      value: `${rule.description.replace(/\s+/g, ' ').replace(/([^.])$/, '$1.')} If this happened on a device in the hunt window, ${table} will hold rows matching the rule's detection; each result group is a lead to triage.`,
      source: 'Sigma rule description + logsource mapping',
      confidence: 'medium',
    };
  }
  const techText = technique ? `activity of ATT&CK technique ${technique}` : 'the behaviour this rule describes';
  return {
    value: `If ${techText} occurred on a device in the hunt window, ${table} will hold rows matching this rule's filters; each result group is a lead to triage.`,
    source: 'rule query + declared techniques',
    confidence: technique ? 'medium' : 'low',
  };
}

/** Output columns of the rule's query (after its last operator), from the binder. */
function outputColumns(rule: Rule): Set<string> {
  const r = checkQuery(rule.query, { tables: rule.tables });
  return new Set((r.bound.resultSchemas[0]?.columns ?? []).map((c) => c.name));
}

const ALLOW_INSTEAD = 'or use kqlite allow, which keeps the findings visible as suppressed';

/**
 * Excluding the hosts where the tool is sanctioned. With findings, the clause names the devices it was found
 * on exactly as the data spells them (Defender's DeviceName is the full name, it-admin-01.contoso.local).
 * Without, example names are compared by host name without the domain, so they match either spelling.
 */
function deviceClause(name: string, devices: readonly string[]): FalsePositiveClause {
  const title = 'Exclude devices where the tool is sanctioned';
  if (devices.length) {
    const shown = [...new Set(devices)].sort().slice(0, 10);
    return { title, kql: `| where DeviceName !in~ ${kqlList(shown)}`, why: `The devices this workspace's findings show ${name} on, as the data names them; keep those where ${name} is sanctioned (${ALLOW_INSTEAD}).` };
  }
  return { title, kql: `| where tostring(split(DeviceName, ".")[0]) !in~ (${kqlString('it-admin-01')}, ${kqlString('helpdesk-02')})`,
    why: `IT staff hosts that run ${name} by policy; replace the names with your own. The host name is compared without its domain, so 'it-admin-01' also matches it-admin-01.contoso.local (${ALLOW_INSTEAD}).` };
}

function falsePositivesOf(rule: Rule, tool: RmmTool | undefined, devices: readonly string[]): Sourced<{ guidance: string; clauses: FalsePositiveClause[] }> {
  if (rule.sigma) {
    // the rule's authors' own words (its `falsepositives`); no clauses are made up for it
    const fp = rule.sigma.falsepositives.filter((x) => x.trim());
    return {
      value: { guidance: fp.length ? fp.join('; ') : 'The rule names no false positives. Review results against known administrative activity before escalating.', clauses: [] },
      source: fp.length ? 'Sigma rule falsepositives' : 'none given by the Sigma rule',
      confidence: fp.length ? 'high' : 'low',
    };
  }
  const cols = outputColumns(rule);
  const clauses: FalsePositiveClause[] = [];
  const name = tool?.name ?? 'the tool';
  if (cols.has('DeviceName')) clauses.push(deviceClause(name, devices));
  if (cols.has('Users')) clauses.push({ title: 'Exclude sanctioned operator accounts', kql: `| where not(set_has_element(Users, ${kqlString('svc-rmm@contoso.com')}))`, why: 'A service account that runs the sanctioned deployment.' });
  if (cols.has('Folders')) clauses.push({ title: 'Exclude managed installations', kql: `| where not(Folders has ${kqlString('C:\\Program Files')})`, why: 'Installed copies under Program Files are usually deployed by IT; portable copies in Downloads or Temp are the suspicious ones.' });
  if (cols.has('RemoteUrl') && tool?.domains.some((d) => /^(www\.)?[^.]+\.[a-z]+$/.test(d))) clauses.push({ title: 'Exclude visits to the vendor website only', kql: `| where RemoteUrl !in~ ${kqlList(tool.domains.filter((d) => /^(www\.)?[^.]+\.[a-z]+$/.test(d)).map((d) => d))}`, why: 'Browsing the marketing site (not the relay or API hosts) is not remote access.' });
  const shared = cols.has('Signer') && tool ? tool.signers.filter((s) => otherToolsSignedBy(s, tool).length) : [];
  if (shared.length) {
    const others = [...new Set(shared.flatMap((s) => otherToolsSignedBy(s, tool!).map((t) => t.name)))];
    clauses.push({ title: 'Exclude signers other catalogued tools share', kql: `| where not(Signer has_any ${kqlList(shared)})`, why: `The catalog lists ${shared.map((s) => `'${s}'`).join(', ')} for ${others.join(', ')} too (vendor family or bundled component): such a hit may be the other tool.` });
  }
  if (cols.has('Signer')) clauses.push({ title: 'Exclude software-inventory scans of installers', kql: `| where Count > 1`, why: 'A single certificate record is often an installer in a software repository share rather than an installed tool.' });
  if (cols.has('InitiatingProcessFolderPath')) clauses.push({ title: 'Exclude managed installations', kql: `| where InitiatingProcessFolderPath !startswith ${kqlString('C:\\Program Files')}`, why: 'Installed copies are usually deployed by IT.' });
  return {
    value: {
      guidance: tool
        ? `${tool.name} is legitimate software: expect hits where IT uses it. Confirm each device against your approved-tool list; treat installs on user laptops, portable copies and tools nobody requested as suspicious.`
        : 'Review results against known administrative activity before escalating.',
      clauses,
    },
    source: `rule output columns (${[...cols].join(', ') || 'none'})${tool ? ` + RMM catalog '${tool.name}'` : ''}${devices.length && cols.has('DeviceName') ? ' + findings' : ''}`,
    confidence: tool ? 'medium' : 'low',
  };
}

/** Domains of the Visual Studio / VS Code tunnel service: a tool that talks to them is IDE tunneling. */
const IDE_TUNNEL_DOMAINS = ['devtunnels.ms', 'tunnels.api.visualstudio.com'];
/** Names that say "desktop support software" (RDP clients are not: they map to T1021.001, not T1219). */
const REMOTE_DESKTOP_NAME = /\bVNC\b|remote desktop(?! manager)|quick assist|desktop sharing/i;
const REMOTE_DESKTOP_CAPABILITY = /remote (control|desktop)|screen shar|gui support|unattended access|remote support/;
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The products ATT&CK's own description of T1219.002 names (`VNC`, `AnyDesk`, `ScreenConnect`, ...). */
function namedByAttack(): { id: string; names: string[] } | undefined {
  const t = findTechnique('T1219.002');
  return t ? { id: t.id, names: [...t.description.matchAll(/`([^`]+)`/g)].map((m) => m[1]!) } : undefined;
}

/**
 * The T1219 sub-technique a tool's facts support, with the reason, or none. IDE Tunneling (.001) when it
 * talks to IDE tunnel infrastructure. Remote Desktop Software (.002) when ATT&CK's description of it names
 * the tool (or, for a VNC product, VNC), when LOLRMM files it as an RMM tool (that description counts "other
 * remote monitoring and management (RMM) tools" in), when LOLRMM lists a remote-control capability, or when
 * its name says so (Quick Assist). Having rules upstream is no reason: that repository covers every kind of
 * remote-access tool. Other tools (sync clients, tunnels, SSH, RDP clients) get no suggestion.
 */
export function subtechniqueFor(tool: RmmTool): { id: string; why: string; from: string; confidence: Confidence } | undefined {
  const tunnel = tool.domains.find((d) => IDE_TUNNEL_DOMAINS.some((x) => d === x || d.endsWith('.' + x)));
  if (tunnel) return { id: 'T1219.001', why: `${tool.name} connects to IDE tunnel infrastructure (${tunnel})`, from: 'domains', confidence: 'medium' };
  const attack = namedByAttack();
  const exact = attack?.names.find((n) => squash(n) === squash(tool.name));
  if (exact) return { id: 'T1219.002', why: `ATT&CK's description of T1219.002 names ${exact} as desktop support software adversaries use`, from: 'ATT&CK T1219.002', confidence: 'high' };
  const within = attack?.names.find((n) => new RegExp(`\\b${n.replace(/[^A-Za-z0-9 ]/g, '')}\\b`, 'i').test(tool.name));
  if (within) return { id: 'T1219.002', why: `${tool.name} is ${within} software, which ATT&CK's description of T1219.002 names`, from: 'ATT&CK T1219.002 + tool name', confidence: 'medium' };
  const cap = tool.capabilities?.find((c) => REMOTE_DESKTOP_CAPABILITY.test(c));
  if (tool.category === 'RMM') {
    return { id: 'T1219.002', why: `LOLRMM files ${tool.name} as a remote monitoring and management (RMM) tool${cap ? ` with capability '${cap}'` : ''}, and ATT&CK's T1219.002 covers RMM tools`, from: 'lolrmm category', confidence: 'medium' };
  }
  if (cap) return { id: 'T1219.002', why: `LOLRMM lists the capability '${cap}' for ${tool.name}`, from: 'lolrmm capabilities', confidence: 'low' };
  const named = REMOTE_DESKTOP_NAME.exec(tool.name);
  if (named) return { id: 'T1219.002', why: `the tool's name (${tool.name}) says it is ${named[0]} software`, from: 'tool name', confidence: 'low' };
  return undefined;
}

function referenceTitle(url: string): string {
  try {
    const u = new URL(url);
    const path = decodeURIComponent(u.pathname).replace(/\/+$/, '');
    return `${u.hostname.replace(/^www\./, '')}${path.length > 1 ? path.slice(0, 80) : ''}`;
  } catch {
    return url;
  }
}

function attributionOf(rule: Rule): Sourced<Attribution> {
  const sg = rule.sigma!;
  const ls = [sg.logsource.product, sg.logsource.category, sg.logsource.service].filter(Boolean).join('/');
  return {
    value: {
      author: sg.author ?? 'not stated by the rule', license: sg.license, logsource: sg.target ? `${ls} → ${sg.target}` : ls,
      ...(sg.status ? { status: sg.status } : {}), ...(sg.level ? { level: sg.level } : {}), ...(sg.date ? { date: sg.date } : {}), ...(sg.modified ? { modified: sg.modified } : {}),
      ...(rule.notRunnable !== undefined ? { notRunnable: rule.notRunnable } : {}),
    },
    source: 'Sigma rule fields + the folder\'s licence file',
    confidence: 'high',
  };
}

/**
 * `tablesPresent`: the workspace's tables (data-source presence); `devicesSeen`: the devices findings show the
 * rule's tool (or, for a rule without one, the rule) on, which the device exclusion clause names.
 */
export function enrichRule(rule: Rule, ctx: { tablesPresent?: readonly string[]; devicesSeen?: readonly string[]; extra?: ExtraEnricher } = {}): Enrichment {
  const tool = rule.tool ? findTool(rule.tool) : undefined;
  const techniques = rule.techniques.map((id) => findTechnique(id)).filter((t) => !!t);
  const tactics = rule.tactics.map((t) => findTactic(t)).filter((t) => !!t);
  const present = ctx.tablesPresent ? new Set(ctx.tablesPresent.map((t) => t.toLowerCase())) : undefined;
  const refs: { title: string; url: string }[] = [];
  // the rule's own references first (kept http/https only when read), titled by their host and path
  for (const url of rule.references ?? []) refs.push({ title: referenceTitle(url), url });
  if (tool?.website) refs.push({ title: `${tool.name} website`, url: tool.website });
  if (rule.source.upstream) refs.push({ title: 'Upstream rule of the same kind', url: UPSTREAM_REPO + encodeURI(rule.source.upstream.file) });
  for (const t of techniques) refs.push({ title: `MITRE ATT&CK ${t.id} ${t.name}`, url: t.url });
  const suggestion = techniques.some((t) => t.id === 'T1219') && tool ? subtechniqueFor(tool) : undefined;
  const sub = suggestion ? findTechnique(suggestion.id) : undefined;
  const e: Enrichment = {
    badges: {
      value: { language: rule.language === 'sigma' ? 'Sigma' : 'KQL', severity: rule.severity, severityDerived: rule.severityDerived, source: rule.source.name, techniques: rule.techniques, tables: rule.tables, tags: rule.tags },
      source: rule.severityDerived ? 'rule fields; severity chosen by kqlite (the source declares none it recognises)' : 'rule fields',
      confidence: 'high',
    },
    hypothesis: hypothesisOf(rule, tool, techniques[0] ? `${techniques[0].id} ${techniques[0].name}` : undefined),
    attack: {
      value: {
        tactics: tactics.map((t) => ({ id: t.id, name: t.name, description: t.description, url: t.url })),
        techniques: techniques.map((t) => ({ id: t.id, name: t.name, description: t.description, url: t.url })),
        ...(sub ? { suggestedSubtechnique: { id: sub.id, name: sub.name, url: sub.url, why: suggestion!.why } } : {}),
      },
      source: `MITRE ${ATTACK_VERSION}${sub ? ` + RMM catalog '${tool!.name}' (${suggestion!.from})` : ''}`,
      confidence: sub ? suggestion!.confidence : 'high',
    },
    dataSources: { value: rule.tables.map((t) => ({ table: t, present: present ? present.has(t.toLowerCase()) : null })), source: present ? 'rule tables + workspace' : 'rule tables (no workspace)', confidence: 'high' },
    references: { value: refs, source: rule.sigma ? 'Sigma rule references + rule source + ATT&CK' : rule.references?.length ? "the rule's references + RMM catalog + ATT&CK" : 'RMM catalog + rule source + ATT&CK', confidence: 'high' },
    falsePositives: falsePositivesOf(rule, tool, ctx.devicesSeen ?? []),
  };
  if (rule.sigma) e.attribution = attributionOf(rule);
  const text = ctx.extra?.enrich(rule);
  if (text && ctx.extra) e.llm = { provider: ctx.extra.name, text, label: 'machine-generated, unverified' };
  return e;
}
