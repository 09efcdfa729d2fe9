// `npm run conformance`: every documented KQL example through the engine, compared strictly; per-feature
// counts and the closing figures. `--verbose` lists every case that is not a plain pass, with its reason.
import { runAll } from './conformance-lib.js';

const verbose = process.argv.includes('--verbose');
const s = runAll();
const rows = [...s.byFeature.entries()].sort((a, b) => a[0].localeCompare(b[0]));
console.log('feature'.padEnd(40) + 'pass  doc-error  unverifiable  fail  unsupported');
for (const [name, c] of rows) console.log(name.padEnd(40) + String(c.pass).padStart(4) + String(c['doc-error']).padStart(11) + String(c.unverifiable).padStart(14) + String(c.fail).padStart(6) + String(c.unsupported).padStart(13));
if (verbose) for (const r of s.results) if (r.outcome !== 'pass') console.log(`${r.outcome.padEnd(12)} ${r.id}: ${r.reason}`);
const n = s.results.length;
console.log(`documentation errors (the page is wrong; the engine gives the corrected output): ${s['doc-error']}; unverifiable (elided output): ${s.unverifiable}`);
console.log(`conformance: ${s.right} of ${n} right (${(100 * s.right / n).toFixed(1)}%): ${s.pass} pass, ${s['doc-error']} documentation errors; ${s.fail} fail, ${s.unsupported} unsupported, ${s.unverifiable} unverifiable`);
