// The fields a seed page (../shared/seeds: text copies of another feed's rule pages) shows, read from its
// text so a test can compare them with kqlite's rule page field by field. Two layouts occur: the whole page
// (back link, title, badge lines, "View original rule", "Retrieved: … · Confidence: …", sections, footer)
// and a flattened copy (hypothesis first, indentation lost, the data-source table as Markdown).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED } from './corpus.js';

export interface SeedPage {
  file: string;
  /** false: the copy lost its indentation (compare query and YAML line by line, trimmed) */
  indented: boolean;
  id: string;
  title: string;
  /** the header's first badge line, e.g. ['kql', 'MEDIUM', 'Azure-Sentinel'] (whole-page layout only) */
  badges?: string[];
  techniques: string[];
  tables: string[];
  upstreamText?: string;
  retrieved?: string;
  confidence?: string;
  query: string;
  yaml: string;
  dataSources: { table: string; note: string }[];
  originalSource?: string;
}

const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;

function between(lines: string[], from: number, stop: (l: string) => boolean): string[] {
  const out: string[] = [];
  for (let i = from; i < lines.length && !stop(lines[i]!); i++) out.push(lines[i]!);
  while (out.length && !out[0]!.trim()) out.shift();
  while (out.length && !out[out.length - 1]!.trim()) out.pop();
  return out;
}

export function parseSeedPage(file: string, text: string): SeedPage {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
  const queryAt = at(/^KQL Query$/);
  const yamlStart = at(/^Analytic Rule Definition$/) >= 0 ? at(/^Analytic Rule Definition$/) + 1 : at(/^id: /);
  const query = between(lines, queryAt + 1, (l) => l === 'Analytic Rule Definition' || l.startsWith('id: ')).join('\n');
  const yaml = between(lines, yamlStart, (l) => l === 'Required Data Sources' || l.startsWith('| Sentinel Table')).join('\n');
  const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(yaml)?.[1]?.trim() ?? '';
  const dataSources: SeedPage['dataSources'] = [];
  for (const l of lines) {
    const md = /^\|?\s*([A-Za-z]+)\s*\|\s*(Ensure[^|]*?)\s*\|?$/.exec(l);
    const run = /^([A-Za-z]+?)(Ensure this data connector is enabled)$/.exec(l);
    const m = md ?? run;
    if (m) dataSources.push({ table: m[1]!, note: m[2]! });
  }
  const whole = lines[0]!.startsWith('← Back to SOC feed');
  const head = whole ? lines.slice(0, at(/^Hunt Hypothesis$/)) : [];
  const techniques = head.filter((l) => TECHNIQUE.test(l));
  const lastTech = head.findLastIndex((l) => TECHNIQUE.test(l));
  const provenance = /^Retrieved: (\S+) · Confidence: (\w+)$/.exec(head.find((l) => l.startsWith('Retrieved: ')) ?? '');
  const original = /^Original source: (.+)$/.exec(lines.find((l) => l.startsWith('Original source: ')) ?? '');
  const seed: SeedPage = {
    file, indented: whole, id: field('id'), title: whole ? lines[2]!.trim() : field('name'),
    techniques: whole ? techniques : field('relevantTechniques').split(/[,\s]+/).filter(Boolean),
    tables: whole ? [head[lastTech + 1]!.trim()] : dataSources.map((d) => d.table),
    query, yaml, dataSources,
  };
  if (whole) seed.badges = lines[4]!.trim().split(/\s+/);
  const upstream = head.find((l) => /^View original rule at .+ →$/.test(l));
  if (upstream) seed.upstreamText = upstream;
  if (provenance) { seed.retrieved = provenance[1]!; seed.confidence = provenance[2]!; }
  if (original) seed.originalSource = original[1]!.trim();
  return seed;
}

export function seedPages(): SeedPage[] {
  const dir = join(SHARED, 'seeds');
  return readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => parseSeedPage(f, readFileSync(join(dir, f), 'utf8')));
}

/** Text as a flattened copy keeps it: each line trimmed, empty lines dropped. */
export const flatLines = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean).join('\n');
