/**
 * Execution over real-world KQL: runs every query of the development corpora (test/corpus/<owner>__<repo>,
 * ../shared/corpus sentinel-hunting and rmm-tools, the built-in RMM pack) through the engine over a few
 * deterministic rows of every catalog table, and prints what ran, what failed and why (first failure by
 * count). `npm run corpus-run [-- --all] [-- --layouts] [-- --json out.json]`: --all also lists the
 * network-bound and not-runnable queries by reason; --layouts runs every query that ran again over its tables
 * cut into 3 extents, which must answer the same. test/engine/corpus-run.test.ts holds the floor.
 */
import { writeFileSync } from 'node:fs';
import { reasonTable, runCorpus } from '../test/helpers/corpus-run.js';

const args = process.argv.slice(2);
const started = Date.now();
// --layouts: every query that runs runs again over its tables cut into 3 extents, and must answer the same
const run = runCorpus(undefined, { layoutsEvery: args.includes('--layouts') ? 1 : 0 });
const { counts } = run;
const total = run.outcomes.length;
const runnable = counts.ran + counts['kql-error'] + counts.crash;
process.stdout.write(`${total} queries in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
process.stdout.write(`  ran            ${counts.ran} of ${runnable} runnable (${(run.ranFraction * 100).toFixed(1)}%)\n`);
process.stdout.write(`  KQL error      ${counts['kql-error']}\n`);
process.stdout.write(`  crash          ${counts.crash}\n`);
process.stdout.write(`  needs network  ${counts.network} (externaldata offline: KQL402x naming the URL)\n`);
process.stdout.write(`  not runnable   ${counts['not-runnable']} (Kusto.Language rejects them too)\n`);
const show = (title: string, kinds: Parameters<typeof reasonTable>[1]) => {
  const rows = reasonTable(run.outcomes, kinds);
  if (!rows.length) return;
  process.stdout.write(`${title}\n`);
  for (const r of rows) process.stdout.write(`${String(r.count).padStart(5)}  ${r.reason}\n         e.g. ${r.examples.join(', ')}\n`);
  process.stdout.write('\n');
};
const mismatches = run.outcomes.filter((o) => o.schemaMismatch);
const layouts = run.outcomes.filter((o) => o.layoutMismatch);
process.stdout.write(`  ran with rows  ${run.outcomes.filter((o) => o.kind === 'ran' && (o.rows ?? 0) > 0).length} (the rest ran and returned no rows)\n`);
process.stdout.write(`  schema differs ${mismatches.length} (ran, but the columns differ from the binder's schema)\n`);
if (args.includes('--layouts')) process.stdout.write(`  layout differs ${layouts.length} (answered otherwise over 3 extents per table)\n`);
process.stdout.write('\n');
for (const o of layouts) process.stdout.write(`  layout: ${o.id}\n    ${o.layoutMismatch}\n`);
show('Crashes (bugs):', ['crash']);
if (mismatches.length) {
  process.stdout.write('Ran with columns other than the binder said:\n');
  for (const o of mismatches) process.stdout.write(`  ${o.id}\n    ${o.schemaMismatch}\n`);
  process.stdout.write('\n');
}
show('First failure of runnable queries, by count:', ['kql-error']);
if (args.includes('--all')) {
  show('Needs network:', ['network']);
  show('Not runnable (Kusto.Language rejects them too):', ['not-runnable']);
}
const j = args.indexOf('--json');
if (j >= 0 && args[j + 1]) writeFileSync(args[j + 1]!, JSON.stringify(run, null, 1));
