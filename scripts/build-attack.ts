/**
 * Builds src/rules/data/attack.json (and ATTACK-LICENSE.txt) from the ATT&CK Enterprise extract in
 * ../shared/attack/ (run by a developer, output committed; the product never reads ../shared). Keeps the
 * facts kqlite uses (tactics in matrix order with shortnames; techniques and sub-techniques with id, name,
 * url, tactics, platforms, short description) and checks them, so a malformed extract fails here, not at run time.
 *   node --import tsx scripts/build-attack.ts [../shared/attack]
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const from = resolve(process.argv[2] ?? '../shared/attack');
const src = JSON.parse(readFileSync(join(from, 'enterprise-attack.json'), 'utf8')) as { source: string; version: string; tactics: Record<string, unknown>[]; techniques: Record<string, unknown>[] };

const problems: string[] = [];
const str = (o: Record<string, unknown>, k: string, where: string): string => {
  const v = o[k];
  if (typeof v !== 'string' || !v.trim()) problems.push(`${where}: '${k}' missing`);
  return typeof v === 'string' ? v.trim() : '';
};
const strs = (o: Record<string, unknown>, k: string): string[] => (Array.isArray(o[k]) ? (o[k] as unknown[]).filter((x): x is string => typeof x === 'string') : []);

if (!/^ATT&CK v\d+(\.\d+)? Enterprise$/.test(src.version)) problems.push(`version '${src.version}' is not like 'ATT&CK v18.1 Enterprise'`);
const tactics = src.tactics.map((t, i) => {
  const w = `tactic #${i + 1}`;
  const out = { id: str(t, 'id', w), name: str(t, 'name', w), shortname: str(t, 'shortname', w), url: str(t, 'url', w), description: str(t, 'description', w) };
  if (!/^TA\d{4}$/.test(out.id)) problems.push(`${w}: id '${out.id}'`);
  return out;
});
const shortnames = new Set(tactics.map((t) => t.shortname));
const techniques = src.techniques.map((t, i) => {
  const w = `technique ${String(t['id'] ?? `#${i + 1}`)}`;
  const out = { id: str(t, 'id', w), name: str(t, 'name', w), url: str(t, 'url', w), tactics: strs(t, 'tactics'), platforms: strs(t, 'platforms'), subtechnique: t['subtechnique'] === true,
    // a few techniques have no description in the extract: kept empty rather than refused
    description: typeof t['description'] === 'string' ? t['description'].trim() : '' };
  if (!/^T\d{4}(\.\d{3})?$/.test(out.id)) problems.push(`${w}: id`);
  if (out.subtechnique !== out.id.includes('.')) problems.push(`${w}: subtechnique flag disagrees with the id`);
  if (!out.url.startsWith('https://attack.mitre.org/techniques/')) problems.push(`${w}: url '${out.url}'`);
  for (const s of out.tactics) if (!shortnames.has(s)) problems.push(`${w}: unknown tactic '${s}'`);
  return out;
}).sort((a, b) => a.id.localeCompare(b.id));
const ids = new Set(techniques.map((t) => t.id));
for (const t of techniques) if (t.subtechnique && !ids.has(t.id.split('.')[0]!)) problems.push(`${t.id}: parent technique missing`);
for (const need of ['T1219', 'T1219.001', 'T1219.002', 'T1219.003']) if (!ids.has(need)) problems.push(`${need} missing (kqlite's RMM content needs it)`);
if (problems.length) {
  console.error(`${problems.length} problems in ${from}:\n  ${problems.slice(0, 20).join('\n  ')}`);
  process.exit(1);
}
const out = resolve('src/rules/data/attack.json');
writeFileSync(out, JSON.stringify({ source: src.source, version: src.version, tactics, techniques }, null, 1) + '\n');
copyFileSync(join(from, 'LICENSE.txt'), resolve('src/rules/data/ATTACK-LICENSE.txt'));
console.log(`wrote ${src.version}: ${tactics.length} tactics, ${techniques.length} techniques (${techniques.filter((t) => t.subtechnique).length} sub-techniques) to ${out}`);
