/**
 * The built-in rules every command starts from: the generated RMM pack and the seed examples, read from the
 * built file (built-rules.ts) when there is one, else generated (run from source); once per process. Kept
 * apart from the generators so the bundled CLI (scripts/build-cli.mjs) can leave the generators, the RMM
 * catalog and the YAML reader out of commands that only read rules.
 */
import { builtRules } from './built-rules.js';
import { readExampleRules } from './example-rules.js';
import { generateBuiltinRules } from './generate.js';
import type { Rule } from './rule.js';

let pack: Rule[] | undefined;
let examples: Rule[] | undefined;

/** The whole pack: per-tool rules in catalog order, then the three all-tools rules. */
export function builtinRules(): Rule[] {
  return (pack ??= builtRules()?.pack ?? generateBuiltinRules());
}

/** The seed pages' three upstream rules (example-rules.ts). */
export function exampleRules(): Rule[] {
  return (examples ??= builtRules()?.examples ?? readExampleRules());
}
