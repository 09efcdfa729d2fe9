// Windows event logs and Sigma (a benchmark, never a test), in one run:
//  1. EVTX read throughput on the same file: kqlite's reader (records as evtx_dump's JSON), Debian's evtxexport
//     (libevtx; text and XML output to /dev/null), and a whole `kqlite ingest` (SecurityEvent/WindowsEvent rows
//     plus Defender rows, written as extents) on one thread.
//  2. All of SigmaHQ's rules (../shared/corpus/sigma), converted, as one fused hunt over a workspace of 1M Sysmon
//     events (ingested from EVTX: every event in WindowsEvent and, mapped, in the Defender tables); 1% of the
//     events come from tools attacks use (cmd, PowerShell, rundll32, certutil), the rest is ordinary activity.
// The files are written by test/helpers/evtx-writer.ts (Windows' layout: templates per chunk) and kept in the
// data folder between runs.
//   npm run bench -- --quick                 20k events to read, 100k to hunt
//   node --import tsx bench/evtx-bench.ts [--read-events=200000] [--hunt-events=1000000] [--data=DIR] [--runs=3]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { writeEvtx } from '../test/helpers/evtx-writer.js';
import { sysmonEvents } from '../test/helpers/sysmon-events.js';

const args = process.argv.slice(2);
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = args.includes('--quick');
const READ_EVENTS = Number(opt('read-events') ?? (quick ? 20_000 : 200_000));
const HUNT_EVENTS = Number(opt('hunt-events') ?? (quick ? 100_000 : 1_000_000));
const RUNS = Number(opt('runs') ?? (quick ? 1 : 3));
const DATA = resolve(opt('data') ?? join(tmpdir(), 'kqlite-bench-evtx'));
const SIGMA = resolve('..', 'shared', 'corpus', 'sigma');
const MB = 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** EVTX files of `total` events, `per` events each (several files let ingest use every core). */
function evtxFiles(name: string, total: number, per: number, suspicious = 0.3): string[] {
  mkdirSync(DATA, { recursive: true });
  const files: string[] = [];
  for (let i = 0, first = 1; first <= total; i++, first += per) {
    const n = Math.min(per, total - first + 1);
    const f = join(DATA, `${name}-${total}-${suspicious}-${i}.evtx`);
    if (!existsSync(f)) writeFileSync(f, writeEvtx(sysmonEvents(n, { seed: 100 + i, firstId: first, startMs: Date.UTC(2025, 9, 1) + i * 3_600_000, suspicious })));
    files.push(f);
  }
  return files;
}

function kqlite(argv: string[]): { ms: number; out: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['bin/kqlite.js', ...argv], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0 && r.status !== 2) throw new Error(`kqlite ${argv.join(' ')}: ${r.stderr}`);
  return { ms: performance.now() - t, out: r.stdout };
}

/** The reader alone, in a child (compiled dist/), counting records: wall ms. */
function readerRun(file: string): number {
  const code = `import('./dist/ingest/evtx/reader.js').then(async ({ readEvtx }) => { const fs = await import('node:fs'); let n = 0; const t = performance.now(); for await (const it of readEvtx(fs.createReadStream(${JSON.stringify(file)}, { highWaterMark: 1 << 20 }))) if (it.record) n++; process.stdout.write(JSON.stringify({ n, ms: performance.now() - t })); })`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout) as { ms: number }).ms;
}

function evtxexportRun(file: string, format: 'text' | 'xml'): number | undefined {
  const t = performance.now();
  const r = spawnSync('sh', ['-c', `evtxexport ${format === 'xml' ? '-f xml ' : ''}"$0" > /dev/null`, file], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return performance.now() - t;
}

async function main(): Promise<void> {
  const build = spawnSync('npm', ['run', 'build'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(build.stderr);
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; shared with other work, so times vary between runs`);

  // 1. read throughput
  const [file] = evtxFiles('read', READ_EVENTS, READ_EVENTS);
  const size = statSync(file!).size;
  const have = !spawnSync('evtxexport', ['-V'], { encoding: 'utf8' }).error;
  const rows: { what: string; ms: number[] }[] = [{ what: 'kqlite EVTX reader (records as evtx_dump JSON)', ms: [] }, { what: 'evtxexport (libevtx 20181227), text to /dev/null', ms: [] }, { what: 'evtxexport -f xml to /dev/null', ms: [] }, { what: 'kqlite ingest --threads 1 (reader + Sentinel and Defender rows + extents)', ms: [] }];
  for (let r = 0; r < RUNS; r++) {
    // alternate, so a shared host that slows down weighs on every side
    rows[0]!.ms.push(readerRun(file!));
    if (have) {
      rows[1]!.ms.push(evtxexportRun(file!, 'text')!);
      rows[2]!.ms.push(evtxexportRun(file!, 'xml')!);
    }
    const ws = join(DATA, 'ws-read');
    rmSync(ws, { recursive: true, force: true });
    rows[3]!.ms.push(kqlite(['ingest', file!, '--workspace', ws, '--threads', '1', '--quiet']).ms);
  }
  console.log(`\n### EVTX read: ${fmt(READ_EVENTS)} Sysmon events, ${(size / MB).toFixed(1)} MB, median of ${RUNS}\n`);
  console.log('| what | time | events/s | MB/s | vs evtxexport -f xml |');
  console.log('|---|---:|---:|---:|---:|');
  const xml = rows[2]!.ms.length ? median(rows[2]!.ms) : undefined;
  for (const row of rows) {
    if (!row.ms.length) {
      console.log(`| ${row.what} | not installed (Debian libevtx-utils) | | | |`);
      continue;
    }
    const ms = median(row.ms);
    console.log(`| ${row.what} | ${(ms / 1000).toFixed(2)} s (runs ${row.ms.map((m) => (m / 1000).toFixed(2)).join(', ')}) | ${fmt(READ_EVENTS / (ms / 1000))} | ${(size / MB / (ms / 1000)).toFixed(1)} | ${xml ? `${(xml / ms).toFixed(2)}×` : ''} |`);
  }

  // 2. every SigmaHQ rule as one fused hunt over the Sysmon-mapped rows
  if (!existsSync(SIGMA)) {
    console.log(`\n(no ${SIGMA}: the Sigma hunt needs SigmaHQ's rules beside the checkout)`);
    return;
  }
  // an estate's logs: one event in a hundred from the tools attacks use
  const files = evtxFiles('hunt', HUNT_EVENTS, 250_000, 0.01);
  const ws = join(DATA, `ws-hunt-${HUNT_EVENTS}`);
  rmSync(ws, { recursive: true, force: true });
  const ing = kqlite(['ingest', ...files, '--workspace', ws, '--quiet', '--json']);
  const report = JSON.parse(ing.out) as { read: number; files: { tables: Record<string, number> }[] };
  const tables: Record<string, number> = {};
  for (const f of report.files) for (const [t, n] of Object.entries(f.tables)) tables[t] = (tables[t] ?? 0) + n;
  const rulesDir = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-compliance', 'rules-dfir', 'rules-placeholder'].map((d) => join(SIGMA, d));
  let imported = 0;
  let notRunnable = 0;
  const importMs = rulesDir.reduce((ms, d) => {
    const r = kqlite(['rules', 'import', d, '--workspace', ws, '--format', 'json']);
    const j = JSON.parse(r.out) as { sigma: number; notRunnable: number };
    imported += j.sigma;
    notRunnable += j.notRunnable;
    return ms + r.ms;
  }, 0);
  const hunts: { ms: number; summary: { rulesRun: number; rulesSkipped: number; rulesFailed: number; rowsScanned: number; durationMs: number; findingsNew: number; findingsUpdated: number } }[] = [];
  for (let r = 0; r < RUNS; r++) {
    const h = kqlite(['hunt', '--workspace', ws, '--rules', 'language:sigma', '--format', 'json']);
    hunts.push({ ms: h.ms, summary: (JSON.parse(h.out) as { summary: (typeof hunts)[number]['summary'] }).summary });
  }
  const mid = hunts.sort((a, b) => a.summary.durationMs - b.summary.durationMs)[Math.floor(hunts.length / 2)]!;
  console.log(`\n### Every SigmaHQ rule as one fused hunt over ${fmt(HUNT_EVENTS)} Sysmon events\n`);
  console.log(`ingest: ${files.length} EVTX files, ${fmt(report.read)} events in ${(ing.ms / 1000).toFixed(1)} s (${fmt(report.read / (ing.ms / 1000))} events/s, every core) → ${Object.entries(tables).map(([t, n]) => `${t} ${fmt(n)}`).join(', ')}`);
  console.log(`rules import: ${fmt(imported)} Sigma rules in ${(importMs / 1000).toFixed(1)} s (${fmt(imported - notRunnable)} converted, ${fmt(notRunnable)} not runnable here)`);
  console.log('');
  console.log('| hunt | rules run | skipped | failed | rows scanned | time | rules/s | findings |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  const s = mid.summary;
  console.log(`| fused (median of ${RUNS}; runs ${hunts.map((h) => (h.summary.durationMs / 1000).toFixed(1)).join(', ')} s) | ${fmt(s.rulesRun)} | ${fmt(s.rulesSkipped)} | ${s.rulesFailed} | ${fmt(s.rowsScanned)} | ${(s.durationMs / 1000).toFixed(1)} s | ${fmt(s.rulesRun / (s.durationMs / 1000))} | ${fmt(s.findingsNew + s.findingsUpdated)} |`);
}

void main();
