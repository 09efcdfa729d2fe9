/**
 * Builds src/rules/data/attack-retired.json: the ATT&CK Enterprise techniques that are no longer current
 * (deprecated, or revoked and replaced by another technique), so lint can tell a retired id from a made-up
 * one and name the replacement. Read from a mitre/cti checkout at the commit of data/attack.json (v18.1,
 * 421deacb): its `enterprise-attack/attack-pattern/*.json` and `enterprise-attack/relationship/*.json`
 * (`revoked-by` relationships). Run by a developer, output committed; the product never reads the checkout.
 *   node --import tsx scripts/build-attack-retired.ts <cti checkout>
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import attack from '../src/rules/data/attack.json' with { type: 'json' };

const root = resolve(process.argv[2] ?? '');
interface Stix { id: string; type: string; name?: string; revoked?: boolean; x_mitre_deprecated?: boolean; relationship_type?: string; source_ref?: string; target_ref?: string; external_references?: { source_name: string; external_id?: string }[] }
const objects = (dir: string): Stix[] => readdirSync(join(root, 'enterprise-attack', dir)).filter((f) => f.endsWith('.json')).flatMap((f) => (JSON.parse(readFileSync(join(root, 'enterprise-attack', dir, f), 'utf8')) as { objects: Stix[] }).objects);

const patterns = new Map<string, { attackId: string; name: string; deprecated: boolean; revoked: boolean }>();
for (const o of objects('attack-pattern')) {
  const attackId = o.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id;
  if (o.type !== 'attack-pattern' || !attackId) continue;
  patterns.set(o.id, { attackId, name: o.name ?? '', deprecated: o.x_mitre_deprecated === true, revoked: o.revoked === true });
}
const revokedBy = new Map<string, string>();
for (const o of objects('relationship')) if (o.relationship_type === 'revoked-by' && o.source_ref && o.target_ref) revokedBy.set(o.source_ref, o.target_ref);

const current = new Set(attack.techniques.map((t) => t.id));
const retired: { id: string; name: string; status: 'deprecated' | 'revoked'; replacedBy?: string }[] = [];
const problems: string[] = [];
for (const [stixId, p] of patterns) {
  if (!p.deprecated && !p.revoked) {
    if (!current.has(p.attackId)) problems.push(`${p.attackId} is current in the checkout but not in data/attack.json: a checkout of another version?`);
    continue;
  }
  if (current.has(p.attackId)) continue; // an id reused by a current technique stays current
  const entry: (typeof retired)[number] = { id: p.attackId, name: p.name, status: p.revoked ? 'revoked' : 'deprecated' };
  const to = p.revoked ? patterns.get(revokedBy.get(stixId) ?? '') : undefined;
  if (to) entry.replacedBy = to.attackId;
  else if (p.revoked) problems.push(`${p.attackId} is revoked but no revoked-by relationship names its replacement`);
  retired.push(entry);
}
if (problems.length) {
  console.error(problems.slice(0, 20).join('\n'));
  process.exit(1);
}
retired.sort((a, b) => a.id.localeCompare(b.id));
const out = resolve('src/rules/data/attack-retired.json');
writeFileSync(out, JSON.stringify({ source: 'mitre/cti enterprise-attack', version: attack.version, techniques: retired }, null, 1) + '\n');
console.log(`wrote ${retired.length} retired techniques (${retired.filter((r) => r.status === 'revoked').length} revoked, ${retired.filter((r) => r.status === 'deprecated').length} deprecated) to ${out}`);
