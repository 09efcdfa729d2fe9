/**
 * parse_user_agent(ua, lookFor): the browser, OS and device named by a user-agent string, with the ua-parser
 * project's patterns (uap-core's regexes.yaml, Apache-2.0, from the npm package uap-core; the same project
 * Kusto's function builds on) applied as its specification says: the first matching pattern of each list
 * wins, `$1`..`$9` in a replacement take the pattern's groups, unmatched is "Other". The patterns are read
 * and compiled on first use. The result keeps the reference's shape: {"Browser": {Family, MajorVersion,
 * MinorVersion, Patch}, "OperatingSystem": {... PatchMinor}, "Device": {Family, Brand, Model}}, with ""
 * for a part a pattern does not give. The patterns ship with the product (not user input), so they run
 * on JavaScript's RegExp.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { lazyPackage } from '../../common/lazy-package.js';
import { QueryError, type DynamicValue, type Value } from '../values/value.js';
import { fn, type ScalarFunction } from './types.js';

const yaml = lazyPackage<typeof Yaml>('yaml');

interface Pattern {
  re: RegExp;
  replacements: Record<string, string | undefined>;
}

interface Patterns {
  browser: Pattern[];
  os: Pattern[];
  device: Pattern[];
}

let patterns: Patterns | undefined;

function load(): Patterns {
  if (patterns) return patterns;
  let text: string;
  try {
    text = readFileSync(createRequire(import.meta.url).resolve('uap-core/regexes.yaml'), 'utf8');
  } catch {
    throw new QueryError('parse_user_agent needs the package uap-core, which is not installed (npm ci)', 'KQL4010');
  }
  const doc = yaml().parse(text) as Record<string, Record<string, string>[]>;
  const compile = (list: Record<string, string>[] | undefined): Pattern[] =>
    (list ?? []).flatMap((p) => {
      try {
        return [{ re: new RegExp(p['regex']!, p['regex_flag'] === 'i' ? 'i' : ''), replacements: p }];
      } catch {
        return []; // a pattern JavaScript cannot read is left out rather than failing every query
      }
    });
  patterns = { browser: compile(doc['user_agent_parsers']), os: compile(doc['os_parsers']), device: compile(doc['device_parsers']) };
  return patterns;
}

/** A replacement with `$1`..`$9` filled from the match (missing groups as ""), trimmed; empty is undefined. */
function fill(template: string | undefined, m: RegExpExecArray, group: number): string | undefined {
  const raw = template !== undefined ? template.replace(/\$(\d)/g, (_, d: string) => m[Number(d)] ?? '') : m[group];
  const t = raw?.trim();
  return t ? t : undefined;
}

function first(list: Pattern[], ua: string): { m: RegExpExecArray; r: Pattern['replacements'] } | undefined {
  for (const p of list) {
    const m = p.re.exec(ua);
    if (m) return { m, r: p.replacements };
  }
  return undefined;
}

function browser(ua: string): Record<string, DynamicValue> {
  const hit = first(load().browser, ua);
  if (!hit) return { Family: 'Other', MajorVersion: '', MinorVersion: '', Patch: '' };
  const { m, r } = hit;
  return { Family: fill(r['family_replacement'], m, 1) ?? 'Other', MajorVersion: fill(r['v1_replacement'], m, 2) ?? '', MinorVersion: fill(r['v2_replacement'], m, 3) ?? '', Patch: fill(r['v3_replacement'], m, 4) ?? '' };
}

function os(ua: string): Record<string, DynamicValue> {
  const hit = first(load().os, ua);
  if (!hit) return { Family: 'Other', MajorVersion: '', MinorVersion: '', Patch: '', PatchMinor: '' };
  const { m, r } = hit;
  return { Family: fill(r['os_replacement'], m, 1) ?? 'Other', MajorVersion: fill(r['os_v1_replacement'], m, 2) ?? '', MinorVersion: fill(r['os_v2_replacement'], m, 3) ?? '', Patch: fill(r['os_v3_replacement'], m, 4) ?? '', PatchMinor: fill(r['os_v4_replacement'], m, 5) ?? '' };
}

function device(ua: string): Record<string, DynamicValue> {
  const hit = first(load().device, ua);
  if (!hit) return { Family: 'Other', Brand: '', Model: '' };
  const { m, r } = hit;
  return { Family: fill(r['device_replacement'], m, 1) ?? 'Other', Brand: fill(r['brand_replacement'], m, 99) ?? '', Model: fill(r['model_replacement'], m, 1) ?? '' };
}

const PARTS: Record<string, [string, (ua: string) => Record<string, DynamicValue>]> = { browser: ['Browser', browser], os: ['OperatingSystem', os], device: ['Device', device] };

export function parseUserAgent(ua: Value, lookFor: Value): Value {
  if (typeof ua !== 'string') return null;
  const wanted = typeof lookFor === 'string' ? [lookFor] : Array.isArray(lookFor) ? lookFor : [];
  const out: Record<string, DynamicValue> = {};
  for (const w of wanted) {
    const part = typeof w === 'string' ? PARTS[w.toLowerCase()] : undefined;
    if (!part) throw new QueryError(`parse_user_agent: look-for must be "browser", "os" or "device", not ${JSON.stringify(w)}`, 'KQL4005');
    out[part[0]] = part[1](ua);
  }
  return out;
}

export const USER_AGENT_FUNCTIONS: ScalarFunction[] = [fn('parse_user_agent', 2, 2, ([ua, lookFor]) => parseUserAgent(ua ?? null, lookFor ?? null))];
