/**
 * The built-in rules (the generated RMM pack and the seed examples) as `npm run build` writes them
 * (scripts/build-rules.mjs → dist/rules/data/): generating the pack binds ~500 queries and writes each rule's
 * YAML, which took ~180 ms of every command; reading the built file takes a few. The YAML text, which only
 * a rule page, `rules show` or a diagnostic needs, is a second file read on first use of any rule's `yaml`.
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

/** The two files of the built rules: the rules with `yaml` left empty, and the YAML texts in the same order. */
export const BUILT_RULES_FILE = 'builtin-rules.json';
export const BUILT_YAML_FILE = 'builtin-rules-yaml.json';

/** The files' text for these rules. */
export function builtRulesText(b: BuiltRules): { rules: string; yaml: string } {
  const noYaml = (r: Rule): Rule => ({ ...r, yaml: '' });
  return {
    rules: JSON.stringify({ pack: b.pack.map(noYaml), examples: b.examples.map(noYaml) }),
    yaml: JSON.stringify({ pack: b.pack.map((r) => r.yaml), examples: b.examples.map((r) => r.yaml) }),
  };
}

/**
 * The rules from the files' text; `yamlText` is called (once) when some rule's `yaml` is first read. The
 * property keeps its place among the rule's keys, so the rules serialise as generated ones do.
 */
export function parseBuiltRules(rulesText: string, yamlText: () => string): BuiltRules {
  const built = JSON.parse(rulesText) as BuiltRules;
  let texts: { pack: string[]; examples: string[] } | undefined;
  const yamlOf = (part: keyof BuiltRules, i: number) => (texts ??= JSON.parse(yamlText()) as { pack: string[]; examples: string[] })[part][i]!;
  for (const part of ['pack', 'examples'] as const) {
    built[part].forEach((rule, i) => {
      const settle = (value: string) => Object.defineProperty(rule, 'yaml', { value, writable: true, enumerable: true, configurable: true });
      Object.defineProperty(rule, 'yaml', {
        enumerable: true,
        configurable: true,
        get: () => {
          const value = yamlOf(part, i);
          settle(value);
          return value;
        },
        set: settle,
      });
    });
  }
  return built;
}

let cached: BuiltRules | null | undefined;

/** The built rules beside this module (dist/rules/data/), or undefined when there are none (run from source). */
export function builtRules(): BuiltRules | undefined {
  if (cached !== undefined) return cached ?? undefined;
  const rulesFile = fileURLToPath(new URL(`./data/${BUILT_RULES_FILE}`, import.meta.url));
  const yamlFile = fileURLToPath(new URL(`./data/${BUILT_YAML_FILE}`, import.meta.url));
  cached = existsSync(rulesFile) ? parseBuiltRules(readFileSync(rulesFile, 'utf8'), () => readFileSync(yamlFile, 'utf8')) : null;
  return cached ?? undefined;
}
