// Test data access: SigmaHQ's regression cases in ../shared/corpus/sigma (read by tests only): each case names
// a rule (by id) and the EVTX that must make it fire, with evtx_dump's JSON of that EVTX beside it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { filesUnder, SHARED } from './corpus.js';

export const SIGMA = join(SHARED, 'corpus', 'sigma');

export interface RegressionCase {
  ruleId: string;
  title: string;
  /** The rule's file, absolute. */
  ruleFile: string;
  evtx: string;
  json: string;
  info: string;
}

let ruleIndex: Map<string, string> | undefined;

/** Every SigmaHQ rule file by its id. */
export function sigmaRuleFiles(): Map<string, string> {
  if (ruleIndex) return ruleIndex;
  ruleIndex = new Map();
  for (const dir of ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-compliance', 'rules-dfir', 'rules-placeholder']) {
    for (const f of filesUnder(join(SIGMA, dir), /\.ya?ml$/)) {
      const m = /^id:\s*['"]?([0-9a-fA-F-]{36})/m.exec(readFileSync(f, 'utf8'));
      if (m) ruleIndex.set(m[1]!.toLowerCase(), f);
    }
  }
  return ruleIndex;
}

export function regressionCases(): RegressionCase[] {
  const rules = sigmaRuleFiles();
  const out: RegressionCase[] = [];
  for (const info of filesUnder(join(SIGMA, 'regression_data'), /^info\.yml$/)) {
    const doc = parseYaml(readFileSync(info, 'utf8')) as { rule_metadata: { id: string; title: string }[]; regression_tests_info: { type: string; path: string }[] };
    const meta = doc.rule_metadata[0]!;
    for (const t of doc.regression_tests_info ?? []) {
      if (t.type !== 'evtx') continue;
      const evtx = join(SIGMA, t.path);
      out.push({ ruleId: meta.id, title: meta.title, ruleFile: rules.get(meta.id.toLowerCase()) ?? '', evtx, json: evtx.replace(/\.evtx$/, '.json'), info });
    }
  }
  return out;
}

/** The JSON values of a file of concatenated (pretty-printed) JSON documents, as evtx_dump writes them. */
export function concatenatedJson(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
  }
  return out;
}
