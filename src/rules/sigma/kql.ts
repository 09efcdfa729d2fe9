/**
 * Matchers on a field → exact KQL predicates. Sigma compares strings case-insensitively unless `cased`:
 * `=~`, `contains`, `startswith`, `endswith` (or their `_cs` forms); a pattern with a wildcard inside becomes an
 * anchored RE2 regular expression, so `a*b` means exactly what Sigma means (pySigma's Kusto backend turns it
 * into `contains 'a' and contains 'b'`, which also matches "ba"). Literals are KQL string literals, so any
 * text is safe in them. What cannot be written exactly throws a Refusal naming why.
 */
import type * as Re2js from 're2js';
import { lazyPackage } from '../../common/lazy-package.js';
import type { FieldRef } from './fields.js';
import { MULTI, plain, SINGLE, type Matcher, type Seg, type ValueSpec } from './values.js';

const re2js = lazyPackage<typeof Re2js>('re2js');

export class Refusal extends Error {}

/** A KQL string literal: verbatim (@'...') when the text has backslashes and no line breaks, else escaped. */
export function kqlLiteral(s: string): string {
  if (s.includes('\\') && !/[\r\n\t\0]/.test(s)) return `@'${s.replace(/'/g, "''")}'`;
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/\0/g, '\\0')}'`;
}

const RE_SPECIAL = /[\\^$.|?*+()[\]{}]/g;
/** An anchored RE2 pattern for a Sigma string (`*` any run of characters, `?` one). */
export function segsRegex(segs: readonly Seg[], cased: boolean): string {
  const body = segs.map((s) => (s === MULTI ? '.*' : s === SINGLE ? '.' : s.replace(RE_SPECIAL, '\\$&'))).join('');
  return `(?s${cased ? '' : 'i'})^${body}$`;
}

/** `expr` as text for string operators (a dynamic or a number as its text). */
const asText = (f: FieldRef) => (f.type === 'string' ? f.expr : `tostring(${f.expr})`);

/** One Sigma string on a string expression. */
export function stringPredicate(expr: string, segs: readonly Seg[], cased: boolean): string {
  const s = [...segs];
  const lead = s[0] === MULTI;
  const trail = s.length > 1 && s[s.length - 1] === MULTI;
  const inner = s.slice(lead ? 1 : 0, trail ? -1 : undefined);
  const text = plain(inner);
  if (!inner.length) return lead ? 'true' : `isempty(${expr})`;
  if (text === undefined) return `${expr} matches regex ${kqlLiteral(segsRegex(segs, cased))}`;
  const cs = cased ? '_cs' : '';
  if (lead && trail) return `${expr} contains${cs} ${kqlLiteral(text)}`;
  if (lead) return `${expr} endswith${cs} ${kqlLiteral(text)}`;
  if (trail) return `${expr} startswith${cs} ${kqlLiteral(text)}`;
  if (text === '') return `isempty(${expr})`;
  return `${expr} ${cased ? '==' : '=~'} ${kqlLiteral(text)}`;
}

/** A number written as text ("4688", "0x3e7"), for comparing with a number column. */
function numeric(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t, 16);
  return undefined;
}

/** Regular expressions must be RE2 (what KQL runs); Sigma's are PCRE-flavoured, so some are not. */
export function checkRe2(pattern: string): string | undefined {
  try {
    re2js().RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function joinOr(parts: string[]): string {
  return parts.length === 1 ? parts[0]! : `(${parts.join(' or ')})`;
}
function joinAnd(parts: string[]): string {
  return parts.length === 1 ? parts[0]! : `(${parts.join(' and ')})`;
}

const HIVES: [RegExp, string][] = [[/^HKLM(?=\\|$)/i, 'HKEY_LOCAL_MACHINE'], [/^HKU(?=\\|$)/i, 'HKEY_USERS'], [/^HKCR(?=\\|$)/i, 'HKEY_CLASSES_ROOT'], [/^HKCU(?=\\|$)/i, 'HKEY_CURRENT_USER']];
function expandHive(segs: Seg[]): Seg[] {
  const first = segs[0];
  if (typeof first !== 'string') return segs;
  for (const [re, full] of HIVES) if (re.test(first)) return [first.replace(re, full), ...segs.slice(1)];
  return segs;
}

/** "DOMAIN\user" against a name and a domain column: exact for every pattern (see fields.ts DEVIATIONS). */
function accountPredicate(f: FieldRef, segs: Seg[], cased: boolean): string {
  const name = f.expr;
  const domain = f.domain!;
  const full = `iff(isempty(${domain}), ${name}, strcat(${domain}, '\\\\', ${name}))`;
  const lead = segs[0] === MULTI;
  const trail = segs.length > 1 && segs[segs.length - 1] === MULTI;
  const inner = segs.slice(lead ? 1 : 0, trail ? -1 : undefined);
  const text = plain(inner);
  if (text === undefined || !inner.length) return stringPredicate(full, segs, cased);
  const i = text.indexOf('\\');
  const eq = cased ? '==' : '=~';
  if (!lead && !trail && i >= 0 && text.indexOf('\\', i + 1) < 0) {
    // exact DOMAIN\user: both columns, looked up through their dictionaries
    return `(${domain} ${eq} ${kqlLiteral(text.slice(0, i))} and ${name} ${eq} ${kqlLiteral(text.slice(i + 1))})`;
  }
  if (i < 0) {
    // no backslash: the text lies within the domain or within the name
    if (lead && trail) return `(${stringPredicate(domain, segs, cased)} or ${stringPredicate(name, segs, cased)})`;
    if (lead) return stringPredicate(name, segs, cased);
    if (trail) return `(${stringPredicate(`iff(isempty(${domain}), ${name}, ${domain})`, segs, cased)})`;
    return `(isempty(${domain}) and ${stringPredicate(name, segs, cased)})`;
  }
  return stringPredicate(full, segs, cased);
}

const HASH_COLUMNS: Record<string, string> = { MD5: 'MD5', SHA1: 'SHA1', SHA256: 'SHA256' };
const HASH_LENGTHS: Record<number, string> = { 32: 'MD5', 40: 'SHA1', 64: 'SHA256' };

/** Sysmon's Hashes ("SHA256=...", or a bare hash) against Defender's hash columns. */
function hashPredicate(segs: Seg[]): string {
  const inner = segs.filter((s) => s !== MULTI);
  const text = plain(inner);
  if (text === undefined) throw new Refusal('Hashes values with wildcards inside cannot be split into hash columns');
  const m = /^([A-Za-z0-9]+)[=|](.+)$/.exec(text);
  const algo = m ? m[1]!.toUpperCase() : HASH_LENGTHS[text.length];
  const hash = m ? m[2]! : text;
  const col = algo ? HASH_COLUMNS[algo] : undefined;
  if (!col) throw new Refusal(`Hashes value '${text}' is ${algo ? `an ${algo} hash` : 'not a hash of a known length'}, and Defender has no column for it`);
  return `${col} =~ ${kqlLiteral(hash)}`;
}

const EVENT_TYPES: Record<string, string[]> = {
  CreateKey: ['RegistryKeyCreated'], DeleteKey: ['RegistryKeyDeleted', 'RegistryValueDeleted'], SetValue: ['RegistryValueSet'],
  RenameKey: ['RegistryKeyRenamed'], DeleteValue: ['RegistryValueDeleted'], CreateValue: ['RegistryValueSet'],
};

/** One matcher on a field. `other` resolves a fieldref's field. */
export function matcherPredicate(f: FieldRef, m: Matcher, cased: boolean, other: (field: string) => FieldRef): string {
  switch (m.kind) {
    case 'str': {
      let segs = m.segs;
      if (f.kind === 'hashes') return hashPredicate(segs);
      if (f.kind === 'registryPath') {
        // "contains 'HKU\x'" on Sysmon's path: at its start (where Defender spells the hive out) or later on
        const hive = segs[0] === MULTI && typeof segs[1] === 'string' ? expandHive(segs.slice(1)) : undefined;
        if (hive && hive[0] !== segs[1]) return `(${stringPredicate(f.expr, hive, cased)} or ${stringPredicate(f.expr, segs, cased)})`;
        return stringPredicate(f.expr, expandHive(segs), cased);
      }
      if (f.kind === 'account') return accountPredicate(f, segs, cased);
      if (f.kind === 'initiated') {
        const v = plain(segs)?.toLowerCase();
        if (v !== 'true' && v !== 'false') throw new Refusal(`Initiated is 'true' or 'false', not '${plain(segs) ?? '(a pattern)'}'`);
        return v === 'true' ? "ActionType != 'InboundConnectionAccepted'" : "ActionType == 'InboundConnectionAccepted'";
      }
      if (f.kind === 'registryEventType') {
        const v = plain(segs);
        const types = v === undefined ? undefined : EVENT_TYPES[v];
        if (!types) throw new Refusal(`EventType '${v ?? '(a pattern)'}' has no Defender ActionType`);
        return types.length === 1 ? `ActionType == ${kqlLiteral(types[0]!)}` : `ActionType in (${types.map(kqlLiteral).join(', ')})`;
      }
      if (f.kind === 'fileName') {
        const lead = segs[0] === MULTI;
        const text = plain(segs.slice(lead ? 1 : 0));
        if (text === undefined) throw new Refusal(`${f.expr} holds a file name; the pattern is not one`);
        const cut = text.lastIndexOf('\\');
        if (cut < 0 && !lead) segs = [text];
        else if (cut >= 0 && (lead || /^[A-Za-z]:\\/.test(text))) segs = [text.slice(cut + 1)];
        else if (cut >= 0) throw new Refusal(`${f.expr} holds a file name; '${text}' is not one`);
        else segs = [MULTI, text];
      }
      if (f.type === 'number') {
        const n = numeric(plain(segs));
        if (n !== undefined) return `${f.expr} == ${n}`;
      }
      if (f.type === 'bool') {
        const v = plain(segs)?.toLowerCase();
        if (v === 'true' || v === 'false') return `${f.expr} == ${v}`;
      }
      return stringPredicate(asText(f), segs, cased);
    }
    case 'num':
      if (f.type === 'number') return `${f.expr} == ${m.value}`;
      return matcherPredicate(f, { kind: 'str', segs: [String(m.value)] }, cased, other);
    case 'bool':
      if (f.type === 'bool') return `${f.expr} == ${m.value}`;
      return matcherPredicate(f, { kind: 'str', segs: [String(m.value)] }, cased, other);
    case 'null':
      return f.type === 'string' || f.type === 'dynamic' ? `isempty(${f.expr})` : `isnull(${f.expr})`;
    case 're': {
      const flags = `${m.flags.includes('i') ? 'i' : ''}${m.flags.includes('m') ? 'm' : ''}${m.flags.includes('s') ? 's' : ''}`;
      const pattern = flags ? `(?${flags})${m.pattern}` : m.pattern;
      const bad = checkRe2(pattern);
      if (bad) throw new Refusal(`regular expression /${m.pattern}/ is not RE2, which KQL runs (${bad})`);
      if (f.kind !== 'plain' && f.kind !== 'registryPath') throw new Refusal(`a regular expression cannot be split across ${f.expr}'s columns`);
      return `${asText(f)} matches regex ${kqlLiteral(pattern)}`;
    }
    case 'cidr': {
      const v6 = m.value.includes(':');
      return `${v6 ? 'ipv6' : 'ipv4'}_is_in_range(${asText(f)}, ${kqlLiteral(m.value)})`;
    }
    case 'cmp':
      return f.type === 'number' ? `${f.expr} ${m.op} ${m.value}` : `toreal(${f.expr}) ${m.op} ${m.value}`;
    case 'exists':
      if (f.type === 'dynamic') return m.value ? `isnotnull(${f.expr})` : `isnull(${f.expr})`;
      return m.value ? `isnotempty(${f.expr})` : `isempty(${f.expr})`;
    case 'fieldref': {
      const o = other(m.field);
      const left = f.kind === 'account' ? `iff(isempty(${f.domain}), ${f.expr}, strcat(${f.domain}, '\\\\', ${f.expr}))` : asText(f);
      const right = o.kind === 'account' ? `iff(isempty(${o.domain}), ${o.expr}, strcat(${o.domain}, '\\\\', ${o.expr}))` : asText(o);
      if (f.kind === 'hashes' || o.kind === 'hashes') throw new Refusal('Hashes cannot be compared with another field');
      const op = m.segsAround === 'eq' ? (cased ? '==' : '=~') : `${m.segsAround}${cased ? '_cs' : ''}`;
      return `${left} ${op} ${right}`;
    }
  }
}

/** All of a field's values: exact strings of a plain field in one `in~` list, the rest OR-ed (AND-ed with `all`). */
export function fieldPredicate(f: FieldRef, spec: ValueSpec, other: (field: string) => FieldRef): string {
  if (f.type === 'number' && f.kind === 'plain' && !spec.all && spec.alts.length > 1) {
    // several numbers (EventID: [4656, 4663]): one `in` list
    const nums = spec.alts.flatMap((forms) => forms.map((m) => (m.kind === 'num' ? m.value : m.kind === 'str' ? numeric(plain(m.segs)) : undefined)));
    if (nums.every((n) => n !== undefined)) return `${f.expr} in (${nums.join(', ')})`;
  }
  // exact texts of a plain text field go in one `in~` list
  const listable = f.kind === 'plain' && (f.type === 'string' || f.type === 'dynamic');
  const perValue = spec.alts.map((forms) => {
    const exact: string[] = [];
    const rest: string[] = [];
    for (const m of forms) {
      const text = m.kind === 'str' ? plain(m.segs) : undefined;
      if (listable && text !== undefined && text !== '') exact.push(text);
      else rest.push(matcherPredicate(f, m, spec.cased, other));
    }
    if (exact.length > 1) rest.unshift(`${asText(f)} ${spec.cased ? 'in' : 'in~'} (${exact.map(kqlLiteral).join(', ')})`);
    else if (exact.length === 1) rest.unshift(`${asText(f)} ${spec.cased ? '==' : '=~'} ${kqlLiteral(exact[0]!)}`);
    return joinOr(rest);
  });
  if (spec.all) return joinAnd(perValue);
  // values OR-ed: merge their exact lists too
  if (perValue.length > 1 && listable && spec.alts.every((forms) => forms.every((m) => m.kind === 'str' && plain(m.segs) !== undefined && plain(m.segs) !== ''))) {
    const all = spec.alts.flatMap((forms) => forms.map((m) => plain((m as { segs: Seg[] }).segs)!));
    return `${asText(f)} ${spec.cased ? 'in' : 'in~'} (${all.map(kqlLiteral).join(', ')})`;
  }
  return joinOr(perValue);
}

/**
 * A condition every row matching a registry-path predicate meets, on Defender's own columns: the path is key +
 * '\' + value name, so a piece of the pattern without a backslash lies within the key or within the name. Tested
 * through the columns' dictionaries (and row index) before the path is built, it spares building the path for
 * the rows that cannot match. Undefined when a value has no such piece (a regex, a bare wildcard).
 */
export function registryGuard(spec: ValueSpec): string | undefined {
  const perValue = spec.alts.map((forms) => {
    const per = forms.map((m) => {
      if (m.kind !== 'str') return undefined;
      // a hive abbreviation is spelled out in the data (HKLM → HKEY_LOCAL_MACHINE): not a piece to look for
      const pieces = m.segs.filter((x): x is string => typeof x === 'string').flatMap((x) => x.split('\\')).filter((p) => !/^(HKLM|HKU|HKCR|HKCU)$/i.test(p));
      const best = pieces.reduce((a, b) => (b.length > a.length ? b : a), '');
      if (best.length < 3) return undefined;
      const op = spec.cased ? 'contains_cs' : 'contains';
      return `(RegistryKey ${op} ${kqlLiteral(best)} or RegistryValueName ${op} ${kqlLiteral(best)})`;
    });
    return per.every((g) => g !== undefined) ? joinOr([...new Set(per as string[])]) : undefined;
  });
  if (spec.all) {
    const some = perValue.filter((g): g is string => g !== undefined);
    return some.length ? joinAnd(some) : undefined;
  }
  return perValue.every((g) => g !== undefined) ? joinOr([...new Set(perValue as string[])]) : undefined;
}
