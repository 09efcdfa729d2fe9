/**
 * Builds src/rules/data/rmm-catalog.json from the two public RMM catalogs (run by a developer, output
 * committed; the product never reads ../shared):
 *   - RemoteManagementMonitoringTools (MIT): per-tool Sentinel rules; we take the literals their queries
 *     match (domains, PE company/product names, signers) and the upstream rule ids.
 *   - LOLRMM (Apache-2.0): per-tool YAML with website, PE metadata, network domains, install paths.
 * Facts only: names, domains, strings; no prose is copied.
 *   node --import tsx scripts/build-rmm-catalog.ts [../shared/corpus]
 */
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readRuleYaml } from '../src/rules/sentinel-yaml.js';

const corpus = resolve(process.argv[2] ?? '../shared/corpus');
const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

interface Tool {
  name: string; slug: string; website?: string; description?: string;
  category?: string; capabilities?: string[];
  domains: string[]; processNames: string[]; companyNames: string[]; productNames: string[]; signers: string[]; installPaths: string[];
  upstream?: { folder: string; rules: Partial<Record<'netconn' | 'createproc' | 'filesig', { id: string; file: string }>> };
  lolrmm?: { file: string };
  sources: string[];
}

/** String literals compared against `column` in a KQL where clause: `col has 'x'`, `col has_any ('a','b')`, `col in~ (...)`. */
function literalsFor(query: string, column: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`\\b${column}\\s+(?:has_any|has_all|has|has_cs|contains|startswith|endswith|in~|in|==|=~)\\s*(\\([^)]*\\)|'[^']*'|"[^"]*")`, 'g');
  for (const m of query.matchAll(re)) for (const s of m[1]!.matchAll(/'([^']*)'|"([^"]*)"/g)) out.push((s[1] ?? s[2])!.trim());
  return out.filter(Boolean);
}

/**
 * Hosting, CDN and general sites that many tools (and every organisation) reach: a rule matching them would
 * flag everyone, so catalog domains under them are left out.
 */
const SHARED_INFRASTRUCTURE = ['amazonaws.com', 'windows.net', 'cloudfront.net', 'google.com', 'googleapis.com', 'softonic.com', 'github.com',
  'githubusercontent.com', 'azureedge.net', 'azurewebsites.net', 'microsoft.com', 'tailscale.com', 'cloudflare.com', 'akamaized.net', 'apple.com', 'sourceforge.net'];
const isSharedInfrastructure = (host: string) => SHARED_INFRASTRUCTURE.some((d) => host === d || host.endsWith('.' + d));
/**
 * LOLRMM code-signing and PE company names that do not identify the tool: platform publishers, bundled
 * runtimes, drivers and archivers, truncated certificate-authority strings, and large consumer-software
 * vendors whose signature is on far more than this one tool. Matching them would flag most devices.
 */
const NOT_A_VENDOR = [/^microsoft\b/i, /^\.net$/i, /^google\b/i, /^adobe\b/i, /^symantec\b/i, /^openvpn\b/i, /^win\.rar\b/i, /^alexander roshal$/i,
  /^github\b/i, /^certification authority$/i, /^codesigningmico$/i, /^globalsigningdig$/i, /^unity technologies\b/i, /^oculus\b/i,
  /^tuxera\b/i, /^simon tatham$/i, /^yandex\b/i, /^tencent\b/i, /^alibaba\b/i, /^taobao\b/i, /^apple\b/i, /^amazon\b/i, /^mozilla\b/i, /^oracle\b/i];
const vendorName = (s: unknown): string | undefined => {
  if (typeof s !== 'string') return undefined;
  const v = s.trim().replace(/\\+$/, '').replace(/\s+/g, ' ');
  return v.length >= 3 && !NOT_A_VENDOR.some((re) => re.test(v)) ? v : undefined;
};
const uniq = (xs: string[]) => [...new Map(xs.filter((x) => x.trim() !== "").map((x) => [x.toLowerCase(), x])).values()];
/**
 * Values matched with `has_any` (term-boundary phrases): one that contains another as whole words adds
 * nothing ('AnyDesk Software GmbH' is already matched by 'anydesk software'), so it is dropped.
 */
function minimalTerms(xs: string[]): string[] {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const covers = (y: string, x: string) => y.length < x.length && new RegExp(`(^|[^a-z0-9])${esc(y)}([^a-z0-9]|$)`, 'i').test(x);
  return xs.filter((x) => !xs.some((y) => covers(y, x)));
}
const tools = new Map<string, Tool>();
const slugOf = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
function toolFor(name: string): Tool {
  const k = norm(name);
  let t = tools.get(k);
  if (!t) {
    t = { name, slug: slugOf(name), domains: [], processNames: [], companyNames: [], productNames: [], signers: [], installPaths: [], sources: [] };
    tools.set(k, t);
  }
  return t;
}

// 1. upstream Sentinel rules per tool
const rmmDir = join(corpus, 'rmm-tools', 'RMM');
for (const folder of readdirSync(rmmDir).sort()) {
  const t = toolFor(folder);
  t.upstream = { folder, rules: {} };
  t.sources.push('rmm-tools');
  for (const file of readdirSync(join(rmmDir, folder)).filter((f) => f.endsWith('.yaml'))) {
    const kind = (['netconn', 'createproc', 'filesig'] as const).find((k) => file.endsWith(`_${k}.yaml`));
    if (!kind) continue;
    const r = readRuleYaml(readFileSync(join(rmmDir, folder, file), 'utf8'));
    if (!r.ok || !r.rule.query) continue;
    const q = r.rule.query;
    t.upstream.rules[kind] = { id: String(r.rule.fields['id']), file: `RMM/${folder}/${file}` };
    if (kind === 'netconn') {
      t.domains.push(...literalsFor(q, 'RemoteUrl'));
      t.companyNames.push(...literalsFor(q, 'InitiatingProcessVersionInfoCompanyName'));
      t.productNames.push(...literalsFor(q, 'InitiatingProcessVersionInfoProductName'));
    } else if (kind === 'createproc') {
      t.companyNames.push(...literalsFor(q, 'ProcessVersionInfoCompanyName'));
      t.productNames.push(...literalsFor(q, 'ProcessVersionInfoProductName'));
      t.processNames.push(...literalsFor(q, 'FileName'), ...literalsFor(q, 'ProcessVersionInfoOriginalFileName'));
    } else {
      t.signers.push(...literalsFor(q, 'Signer'));
    }
  }
}

// 2. LOLRMM
const lolDir = join(corpus, 'lolrmm', 'yaml');
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
for (const file of readdirSync(lolDir).filter((f) => f.endsWith('.yaml')).sort()) {
  let doc: Record<string, any>;
  try {
    doc = parseYaml(readFileSync(join(lolDir, file), 'utf8')) as Record<string, any>;
  } catch {
    continue;
  }
  if (!doc?.Name) continue;
  const existing = tools.get(norm(String(doc.Name))) ?? [...tools.values()].find((x) => x.upstream && norm(String(doc.Name)).startsWith(norm(x.name)) && norm(x.name).length >= 5);
  const t = existing ?? toolFor(String(doc.Name).trim());
  t.lolrmm = { file: `yaml/${file}` };
  t.sources.push('lolrmm');
  const d = doc.Details ?? {};
  if (typeof d.Website === 'string' && /^https?:\/\//.test(d.Website)) t.website ??= d.Website.trim();
  for (const pe of asList(d.PEMetadata) as Record<string, unknown>[]) {
    for (const k of ['Filename', 'OriginalFileName']) if (typeof pe?.[k] === 'string') t.processNames.push(String(pe[k]).trim());
    if (typeof pe?.Product === 'string') t.productNames.push(String(pe.Product).trim());
  }
  for (const p of asList(d.InstallationPaths)) if (typeof p === 'string') t.installPaths.push(p.trim());
  if (doc.Category === 'RMM' || doc.Category === 'RAT') t.category ??= doc.Category;
  const caps = asList(d.Capabilities).filter((c): c is string => typeof c === 'string').map((c) => c.trim().toLowerCase());
  if (caps.length) t.capabilities = [...(t.capabilities ?? []), ...caps];
  // CodeSigning: signer names (listed and per certificate) and the PE company of the signed sample files
  const cs = doc.CodeSigning ?? {};
  for (const n of [...asList(cs.signer_names), ...(asList(cs.certificates) as Record<string, unknown>[]).map((c) => c?.signer_name)]) {
    const v = vendorName(n);
    if (v) t.signers.push(v);
  }
  for (const n of [...asList(cs.company_names), ...(asList(cs.certificates) as Record<string, unknown>[]).map((c) => c?.src_file_company)]) {
    const v = vendorName(n);
    if (v) t.companyNames.push(v);
  }
  for (const n of asList(doc.Artifacts?.Network) as Record<string, unknown>[]) {
    for (const dom of asList(n?.Domains)) {
      if (typeof dom !== 'string') continue;
      // keep plain host names; drop ports, leading wildcards and regex-shaped entries
      const host = dom.trim().replace(/:\d+$/, '').replace(/^\*\./, '').replace(/^https?:\/\//, '').replace(/\/.*$/, '');
      if (/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(host) && !host.includes('*') && !isSharedInfrastructure(host)) t.domains.push(host.toLowerCase());
    }
  }
}

const out = [...tools.values()]
  .map((t) => ({
    ...t,
    domains: uniq(t.domains), processNames: uniq(t.processNames.filter((p) => p !== '' && (/\.(exe|msi|dll|bat|cmd|ps1|app)$/i.test(p) || !p.includes(' ')))),
    companyNames: minimalTerms(uniq(t.companyNames)), productNames: minimalTerms(uniq(t.productNames)), signers: minimalTerms(uniq(t.signers)), installPaths: uniq(t.installPaths),
    ...(t.capabilities ? { capabilities: uniq(t.capabilities) } : {}),
  }))
  .sort((a, b) => a.slug.localeCompare(b.slug));
const target = resolve('src/rules/data/rmm-catalog.json');
writeFileSync(target, JSON.stringify({ builtAt: new Date().toISOString().slice(0, 10), generatedFrom: { 'rmm-tools': 'RemoteManagementMonitoringTools (MIT)', lolrmm: 'LOLRMM (Apache-2.0)' }, tools: out }, null, 1) + '\n');
console.log(`wrote ${out.length} tools (${out.filter((t) => t.upstream).length} with upstream rules) to ${target}`);
if (!existsSync(target)) process.exit(1);
