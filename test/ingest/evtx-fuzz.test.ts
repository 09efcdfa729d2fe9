// Fuzzing the EVTX reader: mutated files (flipped bits, overwritten runs, cuts, spliced chunks, zeroed
// regions) from generated logs and real SigmaHQ ones never make it throw or hang: every item is a record or a
// problem with a reason, and ingest keeps read = loaded + quarantined.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readEvtx } from '../../src/ingest/evtx/reader.js';
import { ingestPaths } from '../../src/ingest/ingest.js';
import { Workspace } from '../../src/store/workspace.js';
import { writeEvtx } from '../helpers/evtx-writer.js';
import { regressionCases } from '../helpers/sigma-regression.js';
import { rng, sysmonEvents } from '../helpers/sysmon-events.js';

type Mutation = (b: Buffer, r: () => number) => Buffer;
const at = (b: Buffer, r: () => number) => Math.floor(r() * b.length);
// most damage aimed at the structures (headers and the first records of a chunk), the rest anywhere
const structural = (b: Buffer, r: () => number) => {
  const chunks = Math.max(1, Math.floor((b.length - 4096) / 65536));
  return Math.min(b.length - 1, 4096 + Math.floor(r() * chunks) * 65536 + Math.floor(r() * r() * 4096));
};
const MUTATIONS: Record<string, Mutation> = {
  flipBits: (b, r) => { const c = Buffer.from(b); for (let i = 0, n = 1 + Math.floor(r() * 16); i < n; i++) c[structural(c, r)] ^= 1 << Math.floor(r() * 8); return c; },
  randomRun: (b, r) => { const c = Buffer.from(b); const s = structural(c, r); for (let i = s; i < Math.min(c.length, s + 1 + Math.floor(r() * 64)); i++) c[i] = Math.floor(r() * 256); return c; },
  anywhere: (b, r) => { const c = Buffer.from(b); for (let i = 0; i < 32; i++) c[at(c, r)] = Math.floor(r() * 256); return c; },
  cut: (b, r) => b.subarray(0, at(b, r)),
  zeroRun: (b, r) => { const c = Buffer.from(b); const s = structural(c, r); c.fill(0, s, s + Math.floor(r() * 2048)); return c; },
  spliceChunks: (b, r) => { if (b.length < 4096 + 2 * 65536) return b; const c = Buffer.from(b); const src = 4096 + 65536; const off = Math.floor(r() * 65536); c.copy(c, 4096 + off, src + off, src + off + 1024); return c; },
  bigSizes: (b, r) => { const c = Buffer.from(b); const s = structural(c, r) & ~3; if (s + 4 <= c.length) c.writeUInt32LE(Math.floor(r() * 0xffffffff), s); return c; },
};

async function readAll(buf: Buffer): Promise<{ records: number; problems: string[] }> {
  let records = 0;
  const problems: string[] = [];
  async function* one() {
    yield buf;
  }
  for await (const it of readEvtx(one())) {
    if (it.record) records++;
    else if (it.problem) {
      assert.equal(typeof it.problem.reason, 'string');
      assert.ok(it.problem.reason.length > 10, it.problem.reason);
      problems.push(it.problem.reason);
    }
  }
  return { records, problems };
}

test('mutated EVTX files never throw or hang, and every problem has a reason', async () => {
  const bases = [writeEvtx(sysmonEvents(400, { seed: 21 })), ...regressionCases().slice(0, 12).map((c) => readFileSync(c.evtx))];
  const r = rng(4242);
  let files = 0;
  let problems = 0;
  const slowest = { ms: 0, what: '' };
  for (const [bi, b] of bases.entries()) {
    for (const [name, mutate] of Object.entries(MUTATIONS)) {
      for (let k = 0; k < (bi === 0 ? 40 : 6); k++) {
        const m = mutate(b, r);
        const t0 = performance.now();
        const res = await readAll(m);
        const ms = performance.now() - t0;
        if (ms > slowest.ms) Object.assign(slowest, { ms, what: `${name} of base ${bi}` });
        assert.ok(ms < 5000, `${name} of base ${bi} took ${ms} ms`);
        problems += res.problems.length;
        files++;
      }
    }
  }
  console.log(`EVTX fuzz: ${files} mutated files, ${problems} problems reported, slowest ${slowest.ms.toFixed(0)} ms (${slowest.what})`);
  assert.ok(problems > files / 4, 'the mutations did damage');
});

test('ingesting mutated files keeps read = loaded + quarantined and loses no undamaged record', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kqlite-evtx-fuzz-'));
  const base = writeEvtx(sysmonEvents(400, { seed: 22 }));
  const intact = (await readAll(base)).records;
  const r = rng(77);
  const files: string[] = [];
  for (const [name, mutate] of Object.entries(MUTATIONS)) {
    for (let k = 0; k < 3; k++) {
      const f = join(dir, `${name}-${k}.evtx`);
      writeFileSync(f, mutate(base, r));
      files.push(f);
    }
  }
  const ws = Workspace.open(join(dir, 'ws'), { create: true });
  const report = await ingestPaths(ws, files, { workers: 1 });
  for (const fr of report.files) {
    if (fr.skipped) continue;
    assert.equal(fr.refused, undefined, `${fr.file}: ${fr.refused}`);
    assert.equal(fr.read, fr.loaded + fr.quarantined, fr.file);
    const again = await readAll(readFileSync(fr.file));
    assert.equal(fr.loaded, again.records, `${fr.file}: every readable record loads`);
    assert.ok(fr.loaded <= intact);
  }
});
