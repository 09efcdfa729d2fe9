/**
 * The feed's rule set from its parts, in precedence order: the built-in pack, folder imports, then each
 * source in the order it was added. A rule whose query (by identity: tokens, comments and layout ignored)
 * is already in the set becomes another provenance of that rule, not a second card. An import or a source
 * rule with a built-in's id replaces it (as imports always have); two sources with the same id for
 * different queries keep both, the later one's id qualified with its source name.
 */
import type { Rule } from '../rule.js';
import { queryIdentity } from './identity.js';

const identities = new WeakMap<Rule, string>();
/** A rule with no query (a Sigma rule that cannot run here, an invalid one) has no identity: it is never merged. */
const identityOf = (r: Rule): string | undefined => {
  if (!r.query.trim()) return undefined;
  if (r.identity) return r.identity;
  let id = identities.get(r);
  if (!id) identities.set(r, (id = queryIdentity(r.query)));
  return id;
};

export function mergeRules(builtin: readonly Rule[], imported: readonly Rule[], sources: readonly (readonly Rule[])[]): Rule[] {
  const importedIds = new Set(imported.map((r) => r.id));
  const out: Rule[] = [...builtin.filter((r) => !importedIds.has(r.id)), ...imported];
  if (!sources.length) return out;
  const byId = new Map(out.map((r, i) => [r.id, i]));
  const byIdentity = new Map<string, number>();
  out.forEach((r, i) => {
    const ident = identityOf(r);
    if (ident !== undefined) byIdentity.set(ident, i);
  });
  const dropped = new Set<number>();
  for (const group of sources) {
    for (const r0 of group) {
      const ident = identityOf(r0);
      const same = ident === undefined ? undefined : byIdentity.get(ident);
      if (same !== undefined && !dropped.has(same)) {
        const primary = out[same]!;
        out[same] = { ...primary, alsoFrom: [...(primary.alsoFrom ?? []), r0.source, ...(r0.alsoFrom ?? [])] };
        continue;
      }
      let r = r0;
      const clash = byId.get(r.id);
      if (clash !== undefined) {
        if (out[clash]!.source.kind === 'builtin') dropped.add(clash);
        else r = { ...r, id: `${r.id}@${r.source.name}` };
      }
      byId.set(r.id, out.length);
      if (ident !== undefined) byIdentity.set(ident, out.length);
      out.push(r);
    }
  }
  return dropped.size ? out.filter((_, i) => !dropped.has(i)) : out;
}
