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

/**
 * A command's wall time and CPU time (user + system, from bash's `time`): on a machine shared with other work
 * the wall time swings with the load, the CPU time much less, so both are reported.
 */
function timed(command: string, fileArg: string): { ms: number; cpuMs: number } {
  const t = performance.now();
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%U %S'; { time ${command} > /dev/null ; } 2>&1 | tail -1`, 'bench', fileArg], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - t;
  const m = /([\d.]+) ([\d.]+)\s*$/.exec(r.stdout);
  if (r.status !== 0 || !m) throw new Error(`${command}: ${r.stderr || r.stdout}`);
  return { ms, cpuMs: (Number(m[1]) + Number(m[2])) * 1000 };
}

/** The reader alone, in a child (compiled dist/), counting records. */
const READER = `import('./dist/ingest/evtx/reader.js').then(async ({ readEvtx }) => { const fs = await import('node:fs'); let n = 0; for await (const it of readEvtx(fs.createReadStream(process.argv[1], { highWaterMark: 1 << 20 }))) if (it.record) n++; if (!n) process.exit(1); })`;
const readerRun = (file: string) => timed(`node --input-type=module -e ${JSON.stringify(READER)} "$1"`, file);
const evtxexportRun = (file: string, format: 'text' | 'xml') => timed(`evtxexport ${format === 'xml' ? '-f xml ' : ''}"$1"`, file);
const ingestRun = (file: string, ws: string) => timed(`node bin/kqlite.js ingest "$1" --workspace ${JSON.stringify(ws)} --threads 1 --quiet`, file);

async function main(): Promise<void> {
  const build = spawnSync('npm', ['run', 'build'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(build.stderr);
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; shared with other work, so times vary between runs`);

  // 1. read throughput
  const [file] = evtxFiles('read', READ_EVENTS, READ_EVENTS);
  const size = statSync(file!).size;
  const have = !spawnSync('evtxexport', ['-V'], { encoding: 'utf8' }).error;
  const rows: { what: string; ms: number[]; cpu: number[] }[] = [
    { what: 'kqlite EVTX reader (records as evtx_dump JSON)', ms: [], cpu: [] },
    { what: 'evtxexport (libevtx 20181227), text to /dev/null', ms: [], cpu: [] },
    { what: 'evtxexport -f xml to /dev/null', ms: [], cpu: [] },
    { what: 'kqlite ingest --threads 1 (reader + Sentinel and Defender rows + extents)', ms: [], cpu: [] },
  ];
  const add = (i: number, t: { ms: number; cpuMs: number }) => (rows[i]!.ms.push(t.ms), rows[i]!.cpu.push(t.cpuMs));
  for (let r = 0; r < RUNS; r++) {
    // alternate, so a shared host that slows down weighs on every side
    add(0, readerRun(file!));
    if (have) {
      add(1, evtxexportRun(file!, 'text'));
      add(2, evtxexportRun(file!, 'xml'));
    }
    const ws = join(DATA, 'ws-read');
    rmSync(ws, { recursive: true, force: true });
    add(3, ingestRun(file!, ws));
  }
  console.log(`\n### EVTX read: ${fmt(READ_EVENTS)} Sysmon events, ${(size / MB).toFixed(1)} MB, median of ${RUNS}\n`);
  console.log('| what | wall time (runs) | CPU time | events/s (CPU) | MB/s (CPU) | vs evtxexport -f xml (CPU) |');
  console.log('|---|---:|---:|---:|---:|---:|');
  const xml = rows[2]!.cpu.length ? median(rows[2]!.cpu) : undefined;
  for (const row of rows) {
    if (!row.ms.length) {
      console.log(`| ${row.what} | not installed (Debian libevtx-utils) | | | | |`);
      continue;
    }
    const cpu = median(row.cpu);
    console.log(`| ${row.what} | ${(median(row.ms) / 1000).toFixed(2)} s (${row.ms.map((m) => (m / 1000).toFixed(1)).join(', ')}) | ${(cpu / 1000).toFixed(2)} s | ${fmt(READ_EVENTS / (cpu / 1000))} | ${(size / MB / (cpu / 1000)).toFixed(1)} | ${xml ? `${(xml / cpu).toFixed(2)}×` : ''} |`);
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
