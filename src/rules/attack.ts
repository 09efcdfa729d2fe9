/**
 * MITRE ATT&CK Enterprise facts (data/attack.json, v18.1, with MITRE's notice): tactics in matrix order and
 * techniques by id. Also normalises the many ways rule files spell a tactic ("CommandAndControl",
 * "Command and control", "command-and-control", "TA0011").
 */
import attackData from './data/attack.json' with { type: 'json' };
import retiredData from './data/attack-retired.json' with { type: 'json' };

export interface Tactic { id: string; name: string; shortname: string; url: string; description: string }
export interface Technique { id: string; name: string; url: string; tactics: string[]; platforms: string[]; subtechnique: boolean; description: string }

const data = attackData as { version: string; tactics: Tactic[]; techniques: Technique[] };

export const ATTACK_VERSION = data.version;
export const TACTICS: readonly Tactic[] = data.tactics;
export const TECHNIQUES: ReadonlyMap<string, Technique> = new Map(data.techniques.map((t) => [t.id, t]));

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const tacticByKey = new Map<string, Tactic>();
for (const t of TACTICS) for (const k of [t.id, t.name, t.shortname]) tacticByKey.set(squash(k), t);

/** The tactic a rule's spelling means, or undefined when it is not an ATT&CK tactic. */
export function findTactic(spelling: string): Tactic | undefined {
  return tacticByKey.get(squash(spelling));
}

/** The Sentinel enum spelling of a tactic: "Command and Control" → "CommandAndControl". */
export function sentinelTacticName(t: Tactic): string {
  return t.name.replace(/(^|\s|-)(\w)/g, (_m, _s, c: string) => c.toUpperCase()).replace(/\s|-/g, '');
}

export function findTechnique(id: string): Technique | undefined {
  return TECHNIQUES.get(id.trim().toUpperCase());
}

/** A technique id ATT&CK no longer uses: deprecated, or revoked and replaced (data/attack-retired.json). */
export interface RetiredTechnique { id: string; name: string; status: 'deprecated' | 'revoked'; replacedBy?: string }

const RETIRED: ReadonlyMap<string, RetiredTechnique> = new Map((retiredData.techniques as RetiredTechnique[]).map((t) => [t.id, t]));

/** The retired technique an id names (T1086 PowerShell, revoked by T1059.001), or undefined. */
export function findRetiredTechnique(id: string): RetiredTechnique | undefined {
  return RETIRED.get(id.trim().toUpperCase());
}

export function techniqueUrl(id: string): string {
  return findTechnique(id)?.url ?? `https://attack.mitre.org/techniques/${id.replace('.', '/')}`;
}

/** The same facts as one value: `ATTACK.techniques.get('T1219.002')`, tactics in matrix order. */
export const ATTACK: { version: string; tactics: readonly Tactic[]; techniques: ReadonlyMap<string, Technique> } = { version: ATTACK_VERSION, tactics: TACTICS, techniques: TECHNIQUES };
