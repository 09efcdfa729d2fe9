/**
 * The built-in RMM content pack: three rules per catalog tool, the same kinds the upstream repository
 * publishes (network connection, process creation, file signature), written from the catalog's facts, plus
 * one all-tools rule per kind. Unlike upstream they read only columns their table has (upstream's network
 * rules group by `AccountUpn`, which DeviceNetworkEvents lacks) and carry users and evidence in the result.
 */
import type * as Yaml from 'yaml';
import { lazyPackage } from '../common/lazy-package.js';
import { RMM_CATALOG, type RmmTool } from './catalog.js';
import { kqlList } from './kql-text.js';
import type { Rule } from './rule.js';
import { validateRule } from './validate.js';

const yaml = lazyPackage<typeof Yaml>('yaml');

export type RmmRuleKind = 'netconn' | 'createproc' | 'filesig';

const KIND_TITLE: Record<RmmRuleKind, string> = { netconn: 'Network Connection', createproc: 'Process Creation', filesig: 'File Signature' };
const KIND_TABLE: Record<RmmRuleKind, string> = { netconn: 'DeviceNetworkEvents', createproc: 'DeviceProcessEvents', filesig: 'DeviceFileCertificateInfo' };
export const PACK_NAME = 'kqlite RMM pack';

/** File names too generic to tie a process to one tool (many vendors ship an `agent.exe`). */
const GENERIC_PROCESS_NAMES = new Set(['agent.exe', 'client.exe', 'server.exe', 'service.exe', 'setup.exe', 'install.exe', 'installer.exe', 'update.exe',
  'updater.exe', 'launcher.exe', 'remote.exe', 'support.exe', 'host.exe', 'viewer.exe', 'helper.exe', 'app.exe', 'run.exe', 'start.exe', 'main.exe', 'winvnc.exe', 'vnc.exe']);

const WINDOW = `let Time_start = now(-5d);\nlet Time_end = now();\n`;

function processNamesOf(t: RmmTool): string[] {
  return t.processNames.filter((p) => /\.exe$/i.test(p) && !GENERIC_PROCESS_NAMES.has(p.toLowerCase()) && p.length > 6);
}

export function netconnQuery(domains: readonly string[], t?: Pick<RmmTool, 'companyNames' | 'productNames'>): string {
  const pe: string[] = [];
  if (t?.companyNames.length) pe.push(`InitiatingProcessVersionInfoCompanyName has_any ${kqlList(t.companyNames)}`);
  if (t?.productNames.length) pe.push(`InitiatingProcessVersionInfoProductName has_any ${kqlList(t.productNames)}`);
  return `${WINDOW}DeviceNetworkEvents
| where Timestamp between (Time_start .. Time_end)
| where RemoteUrl has_any ${kqlList(domains)}${pe.length ? `\n    and (${pe.join('\n        or ')})` : ''}
| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp),
    Report=make_set(ReportId, 100), Users=make_set(InitiatingProcessAccountUpn, 10),
    Processes=make_set(InitiatingProcessFileName, 10), Count=count() by DeviceId, DeviceName, RemoteUrl`;
}

export function createprocQuery(t: Pick<RmmTool, 'companyNames' | 'productNames'> & { processNames: string[] }): string | undefined {
  const clauses: string[] = [];
  if (t.companyNames.length && t.productNames.length) {
    clauses.push(`(ProcessVersionInfoCompanyName has_any ${kqlList(t.companyNames)}\n        and ProcessVersionInfoProductName has_any ${kqlList(t.productNames)})`);
  } else if (t.companyNames.length) {
    clauses.push(`ProcessVersionInfoCompanyName has_any ${kqlList(t.companyNames)}`);
  } else if (t.productNames.length) {
    clauses.push(`ProcessVersionInfoProductName has_any ${kqlList(t.productNames)}`);
  }
  if (t.processNames.length) clauses.push(`FileName in~ ${kqlList(t.processNames)}`);
  if (!clauses.length) return undefined;
  return `${WINDOW}DeviceProcessEvents
| where Timestamp between (Time_start .. Time_end)
| where ${clauses.join('\n    or ')}
| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp),
    Report=make_set(ReportId, 100), Users=make_set(AccountUpn, 10),
    Folders=make_set(FolderPath, 10), Parents=make_set(InitiatingProcessFileName, 10), Count=count() by DeviceId, DeviceName, FileName`;
}

export function filesigQuery(signers: readonly string[]): string {
  return `${WINDOW}DeviceFileCertificateInfo
| where Timestamp between (Time_start .. Time_end)
| where Signer has_any ${kqlList(signers)}
| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp),
    Report=make_set(ReportId, 100), Files=make_set(SHA1, 20), Count=count() by DeviceId, DeviceName, Signer`;
}

function describe(kind: RmmRuleKind, tool: string | undefined, facts: string): string {
  const who = tool ?? 'any catalogued RMM tool';
  switch (kind) {
    case 'netconn':
      return `Devices whose processes connect to the network infrastructure of ${who} (${facts}). An RMM agent talking to its vendor's cloud is how an intruder-installed copy gets remote control; on devices where ${who} is not sanctioned this is remote access nobody approved.`;
    case 'createproc':
      return `Processes started from ${who} binaries, recognised by their PE version information or file names (${facts}). Portable copies run from a user's Downloads folder are the pattern of help-desk-callback intrusions.`;
    case 'filesig':
      return `Files on disk signed by the code-signing identity of ${who} (${facts}): the tool is present on the device even if it has not run in the window.`;
  }
}

function makeRule(kind: RmmRuleKind, query: string, tool: RmmTool | undefined, facts: string, generatedFrom: string[]): Rule {
  const slug = tool?.slug ?? 'all-tools';
  const name = `RMM tool - ${tool?.name ?? 'All tools'} - ${KIND_TITLE[kind]}`;
  const severity = kind === 'filesig' ? 'low' : 'medium';
  const table = KIND_TABLE[kind];
  const fields = {
    id: `kqlite-rmm-${slug}-${kind}`,
    name,
    description: describe(kind, tool?.name, facts),
    severity: severity[0]!.toUpperCase() + severity.slice(1),
    requiredDataConnectors: [{ connectorId: 'MicrosoftThreatProtection', dataTypes: [table] }],
    tactics: ['CommandAndControl'],
    relevantTechniques: ['T1219'],
    tags: ['RMM', ...(tool ? [tool.name] : ['all-tools'])],
    query: query + '\n',
  };
  const rule: Rule = {
    id: fields.id, name, description: fields.description, severity, severityDerived: true, kind: 'hunting', query,
    tables: [table], tactics: ['CommandAndControl'], techniques: ['T1219'], tags: fields.tags, detects: kind,
    status: 'valid', diagnostics: [], repairs: [],
    source: { kind: 'builtin', name: PACK_NAME, generatedFrom, ...(tool?.upstream?.rules[kind] ? { upstream: tool.upstream.rules[kind] } : {}) },
    yaml: yaml().stringify(fields, { lineWidth: 0, blockQuote: 'literal' }),
    version: 1,
  };
  if (tool) rule.tool = tool.name;
  return validateRule(rule);
}

const listFacts = (label: string, xs: readonly string[]) => (xs.length ? `${label}: ${xs.slice(0, 4).join(', ')}${xs.length > 4 ? ` and ${xs.length - 4} more` : ''}` : '');

/** The rules for one tool (those its catalog facts support). */
export function rulesForTool(t: RmmTool): Rule[] {
  const out: Rule[] = [];
  const src = t.sources.map((s) => `catalog:${s}`);
  if (t.domains.length) out.push(makeRule('netconn', netconnQuery(t.domains, t), t, listFacts('domains', t.domains), src));
  const proc = createprocQuery({ ...t, processNames: processNamesOf(t) });
  if (proc) out.push(makeRule('createproc', proc, t, [listFacts('company', t.companyNames), listFacts('product', t.productNames), listFacts('files', processNamesOf(t))].filter(Boolean).join('; '), src));
  if (t.signers.length) out.push(makeRule('filesig', filesigQuery(t.signers), t, listFacts('signers', t.signers), src));
  return out;
}

/**
 * The union of the per-tool process rules. A company is matched alone only for tools whose rule matches it
 * alone; where a tool pairs company and product (e.g. Google + Chrome Remote Desktop) the pair is kept, so
 * the all-tools rule does not flag every process of a large vendor. Paired tools share one clause (company
 * of one tool with product of another is possible but no real binary carries such a pair).
 */
function allToolsCreateprocQuery(): string {
  const uniq = (xs: string[]) => [...new Map(xs.map((x) => [x.toLowerCase(), x])).values()];
  const paired = RMM_CATALOG.filter((t) => t.companyNames.length && t.productNames.length);
  const clauses = [
    `ProcessVersionInfoCompanyName has_any ${kqlList(uniq(RMM_CATALOG.filter((t) => !t.productNames.length).flatMap((t) => t.companyNames)))}`,
    `ProcessVersionInfoProductName has_any ${kqlList(uniq(RMM_CATALOG.filter((t) => !t.companyNames.length).flatMap((t) => t.productNames)))}`,
    `(ProcessVersionInfoCompanyName has_any ${kqlList(uniq(paired.flatMap((t) => t.companyNames)))}\n        and ProcessVersionInfoProductName has_any ${kqlList(uniq(paired.flatMap((t) => t.productNames)))})`,
    `FileName in~ ${kqlList(uniq(RMM_CATALOG.flatMap(processNamesOf)))}`,
  ];
  return `${WINDOW}DeviceProcessEvents
| where Timestamp between (Time_start .. Time_end)
| where ${clauses.join('\n    or ')}
| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp),
    Report=make_set(ReportId, 100), Users=make_set(AccountUpn, 10),
    Folders=make_set(FolderPath, 10), Parents=make_set(InitiatingProcessFileName, 10), Count=count() by DeviceId, DeviceName, FileName`;
}

/**
 * The whole pack: per-tool rules in catalog order, then the three all-tools rules, generated from the catalog
 * (what `npm run build` writes into the built file; builtin.ts `builtinRules()` reads that when it exists).
 */
export function generateBuiltinRules(): Rule[] {
  const rules = RMM_CATALOG.flatMap(rulesForTool);
  const all = (xs: (t: RmmTool) => string[]) => [...new Set(RMM_CATALOG.flatMap(xs))];
  const src = ['catalog:rmm-tools', 'catalog:lolrmm'];
  rules.push(makeRule('netconn', netconnQuery(all((t) => t.domains)), undefined, 'every catalogued domain', src));
  rules.push(makeRule('createproc', allToolsCreateprocQuery(), undefined, 'every catalogued company, product and file name', src));
  rules.push(makeRule('filesig', filesigQuery(all((t) => t.signers)), undefined, 'every catalogued signer', src));
  for (const r of rules.slice(-3)) r.tags.push('aggregate');
  return rules;
}
