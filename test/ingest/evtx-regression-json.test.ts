// The EVTX reader against evtx_dump: every record of every SigmaHQ regression EVTX equals the JSON dump beside
// it, field by field. Two documented differences of the dumps themselves: they cut times to microseconds (one
// dump keeps 9 digits), and one dump was written from another copy of its event (see KNOWN_DUMP_EDITS).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readEvtx } from '../../src/ingest/evtx/reader.js';
import { join } from 'node:path';
import { filesUnder } from '../helpers/corpus.js';
import { concatenatedJson, regressionCases, SIGMA } from '../helpers/sigma-regression.js';

/** Fields where a dump differs from its EVTX (checked with evtxexport): file name → field → [evtx, dump]. */
const KNOWN_DUMP_EDITS: Record<string, Record<string, [string, string]>> = {
  'ad691d92-15f2-4181-9aa4-723c74f9ddc3.evtx': { 'Event.EventData.ParentCommandLine': ['C:\\Windows\\Explorer.EXE', 'C:\\Windows\\Explorer.exe'] },
};

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** Compares leaf by leaf; times are equal when the dump's value is ours cut to the dump's digits. */
function compare(ours: unknown, dump: unknown, path: string, diffs: string[]): void {
  if (typeof ours === 'string' && typeof dump === 'string' && ISO.test(ours) && ISO.test(dump)) {
    const frac = (s: string) => /\.(\d+)Z$/.exec(s)?.[1] ?? '';
    const digits = frac(dump).length;
    const cut = (s: string) => s.replace(/(\.\d+)?Z$/, '') + (digits ? '.' + (frac(s) + '000000000').slice(0, digits) : '');
    if (cut(ours) !== cut(dump)) diffs.push(`${path}: ${ours} vs ${dump}`);
    return;
  }
  if (ours && dump && typeof ours === 'object' && typeof dump === 'object' && Array.isArray(ours) === Array.isArray(dump)) {
    const keys = new Set([...Object.keys(ours), ...Object.keys(dump)]);
    for (const k of keys) compare((ours as Record<string, unknown>)[k], (dump as Record<string, unknown>)[k], `${path}.${k}`, diffs);
    return;
  }
  if (ours !== dump) diffs.push(`${path}: ${JSON.stringify(ours)} vs ${JSON.stringify(dump)}`);
}

test('every regression EVTX reads as its evtx_dump JSON, field by field', async () => {
  const cases = regressionCases();
  assert.ok(cases.length >= 200, `expected the SigmaHQ regression cases, found ${cases.length}`);
  // every EVTX file of the regression data is a case (none is left out because no info.yml names it)
  const onDisk = filesUnder(join(SIGMA, 'regression_data'), /\.evtx$/i).sort();
  assert.deepEqual([...new Set(cases.map((c) => c.evtx))].sort(), onDisk);
  let records = 0;
  let fields = 0;
  const failures: string[] = [];
  for (const c of cases) {
    const ours: unknown[] = [];
    const problems: string[] = [];
    async function* bytes() {
      yield readFileSync(c.evtx);
    }
    for await (const item of readEvtx(bytes())) {
      if (item.record) ours.push(item.record.event);
      else if (item.problem) problems.push(item.problem.reason);
    }
    const dump = concatenatedJson(readFileSync(c.json, 'utf8'));
    if (problems.length) failures.push(`${c.evtx}: ${problems.join('; ')}`);
    if (ours.length !== dump.length) failures.push(`${c.evtx}: ${ours.length} records, the dump has ${dump.length}`);
    const name = c.evtx.split('/').pop()!;
    for (let i = 0; i < Math.min(ours.length, dump.length); i++) {
      const diffs: string[] = [];
      compare(ours[i], dump[i], '', diffs);
      const known = KNOWN_DUMP_EDITS[name] ?? {};
      for (const d of diffs) {
        const [path, rest] = d.split(': ');
        const edit = known[path!.replace(/^\./, '')];
        if (!edit || rest !== `${JSON.stringify(edit[0])} vs ${JSON.stringify(edit[1])}`) failures.push(`${c.evtx} record ${i}: ${d}`);
      }
      records++;
      fields += JSON.stringify(dump[i]).split('":').length - 1;
    }
  }
  console.log(`EVTX reader vs evtx_dump: ${cases.length} files, ${records} records, ${fields} JSON fields compared`);
  assert.deepEqual(failures, []);
});
