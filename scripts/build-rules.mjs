// Part of `npm run build` (after tsc): writes the built-in rules — the generated RMM pack and the seed
// examples — into dist/rules/data/ (src/rules/built-rules.ts), so no command generates them at run time.
// Reads the compiled dist/ (run tsc first). test/rules/built-rules.test.ts checks the files equal generation.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { generateBuiltinRules } = await import(join(root, 'dist/rules/generate.js'));
const { readExampleRules } = await import(join(root, 'dist/rules/example-rules.js'));
const { builtRulesText, BUILT_RULES_FILE, BUILT_TEXTS_FILE, BUILT_YAML_FILE } = await import(join(root, 'dist/rules/built-rules.js'));

const pack = generateBuiltinRules();
const examples = readExampleRules();
const text = builtRulesText({ pack, examples });
const dir = join(root, 'dist/rules/data');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, BUILT_RULES_FILE), text.rules);
writeFileSync(join(dir, BUILT_YAML_FILE), text.yaml);
writeFileSync(join(dir, BUILT_TEXTS_FILE), text.texts);
console.log(`dist/rules/data: ${pack.length} pack rules and ${examples.length} examples (${(text.rules.length / 1024).toFixed(0)} KiB, queries and descriptions ${(text.texts.length / 1024).toFixed(0)} KiB, YAML ${(text.yaml.length / 1024).toFixed(0)} KiB)`);
