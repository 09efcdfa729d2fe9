/**
 * The built-in rules (the generated RMM pack and the seed examples) as `npm run build` writes them
 * (scripts/build-rules.mjs → dist/rules/data/): generating the pack binds ~500 queries and writes each rule's
 * YAML, which took ~180 ms of every command; reading the built file takes a few. The YAML text, which only
 * a rule page, `rules show` or a diagnostic needs, is a second file read on first use of any rule's `yaml`;
 * the queries and descriptions a third, read on first use of either (see BUILT_TEXTS_FILE).
 * Run from source (tests, tsx) there is no built file and the rules are generated as before;
 * test/rules/built-rules.test.ts proves the built rules equal the generated ones.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Rule } from './rule.js';

export interface BuiltRules {
  pack: Rule[];
  examples: Rule[];
}

/**
 * The files of the built rules: the rules with their long texts left empty, the YAML texts, and the queries
 * and descriptions. Parsing the queries and descriptions with the rest took ~5 ms of every command that
 * reads the rules (60% of the text); `rules list` reads neither and a hunt only its rules' queries.
 */
export const BUILT_RULES_FILE = 'builtin-rules.json';
export const BUILT_YAML_FILE = 'builtin-rules-yaml.jsonl';
export const BUILT_TEXTS_FILE = 'builtin-rules-texts.jsonl';

/**
 * The fields each later file holds, in order, for every rule (a rule without the field has none to hold):
 * one line per rule (the pack's, then the examples'), a JSON array of its values, so that reading a few
 * rules' fields (a hunt's queries) parses their lines only, not 400-600 KiB of text for all 511.
 */
const LATER_FIELDS = { yaml: ['yaml'], texts: ['query', 'description'] } as const;
type LaterFile = keyof typeof LATER_FIELDS;

/** The files' text for these rules. */
export function builtRulesText(b: BuiltRules): { rules: string } & Record<LaterFile, string> {
  const later = Object.values(LATER_FIELDS).flat() as string[];
  const lean = (r: Rule): Rule => ({ ...r, ...Object.fromEntries(later.filter((f) => f in r).map((f) => [f, ''])) });
  const values = (fields: readonly string[]) => [...b.pack, ...b.examples].map((r) => JSON.stringify(fields.map((f) => (r as unknown as Record<string, unknown>)[f]))).join('\n');
  return { rules: JSON.stringify({ pack: b.pack.map(lean), examples: b.examples.map(lean) }), yaml: values(LATER_FIELDS.yaml), texts: values(LATER_FIELDS.texts) };
}

/**
 * The rules from the files' text; each later file's text is asked for (once) when one of its fields is first
 * read on any rule. A field keeps its place among the rule's keys, so the rules serialise as generated ones do.
 */
export function parseBuiltRules(rulesText: string, laterText: Record<LaterFile, () => string>): BuiltRules {
  const built = JSON.parse(rulesText) as BuiltRules;
  for (const file of Object.keys(LATER_FIELDS) as LaterFile[]) {
    let lines: string[] | undefined;
    const parsed = new Map<number, unknown[]>();
    const valueOf = (part: keyof BuiltRules, i: number, k: number) => {
      const line = part === 'pack' ? i : built.pack.length + i;
      let values = parsed.get(line);
      if (!values) parsed.set(line, (values = JSON.parse((lines ??= laterText[file]().split('\n'))[line]!) as unknown[]));
      return values[k];
    };
    for (const part of ['pack', 'examples'] as const) {
      built[part].forEach((rule, i) => {
        LATER_FIELDS[file].forEach((field, k) => {
          if (!(field in rule)) return;
          const settle = (value: unknown) => Object.defineProperty(rule, field, { value, writable: true, enumerable: true, configurable: true });
          Object.defineProperty(rule, field, {
            enumerable: true,
            configurable: true,
            get: () => {
              const value = valueOf(part, i, k);
              settle(value);
              return value;
            },
            set: settle,
          });
        });
      });
    }
  }
  return built;
}

let cached: BuiltRules | null | undefined;

/** The built rules beside this module (dist/rules/data/), or undefined when there are none (run from source). */
export function builtRules(): BuiltRules | undefined {
  if (cached !== undefined) return cached ?? undefined;
  const rulesFile = fileURLToPath(new URL(`./data/${BUILT_RULES_FILE}`, import.meta.url));
  const beside = (name: string) => () => readFileSync(fileURLToPath(new URL(`./data/${name}`, import.meta.url)), 'utf8');
  cached = existsSync(rulesFile) ? parseBuiltRules(readFileSync(rulesFile, 'utf8'), { yaml: beside(BUILT_YAML_FILE), texts: beside(BUILT_TEXTS_FILE) }) : null;
  return cached ?? undefined;
}
