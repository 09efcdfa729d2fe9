// Whole-process benchmark: `kqlite` as people run it — a new process per command, the built CLI (bin/kqlite.js,
// dist/ built first) — against a Node process that opens a DuckDB database file and runs the same three seed
// hunts. Each round runs every command once, in turn (so a shared host's load weighs on all of them alike);
// the table shows the median of the rounds' wall times and writes it into docs/PERFORMANCE.md.
//   npm run bench -- [--quick] [--process-rows=1000000] [--process-runs=15] [--data=DIR] [--no-doc]
//     [--baseline=DIR]   also time the kqlite commands of another built checkout (e.g. the commit before), side by side
//     [--keep-extra-ca-certs]   time the processes with NODE_EXTRA_CA_CERTS as this shell has it (see timedEnv)
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem, type as osType, release, tmpdir } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleRules } from '../src/rules/index.js';
import { kqlToSql } from './engine/kql-to-sql.js';
import { ensureStores } from './process/data.js';

const args = process.argv.slice(2);
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = args.includes('--quick');
const networkRows = Number(opt('process-rows') ?? (quick ? 100_000 : 1_000_000));
const runs = Number(opt('process-runs') ?? (quick ? 5 : 15));
const dataRoot = opt('data') ?? join(tmpdir(), 'kqlite-bench');
const writeDoc = !args.includes('--no-doc') && !quick;
const baseline = opt('baseline');
const KQLITE = ['bin/kqlite.js'];

/**
 * The environment of the timed processes. NODE_EXTRA_CA_CERTS makes Node read that file and parse every
 * certificate in it, with its own root store, as the process starts, before any of its JavaScript runs:
 * ~40 ms of CPU per process where it names the system's CA bundle (as on the machine these figures come
 * from, whose sandbox sets it). Neither side here makes a TLS connection, and it is not set on a usual
 * machine, so it is left out for every timed process alike (kqlite's, DuckDB's and `node -e 0`) unless
 * --keep-extra-ca-certs; the table says which.
 */
const extraCaCerts = process.env['NODE_EXTRA_CA_CERTS'];
const keepExtraCaCerts = args.includes('--keep-extra-ca-certs');
const timedEnv: NodeJS.ProcessEnv = { ...process.env };
if (!keepExtraCaCerts) delete timedEnv['NODE_EXTRA_CA_CERTS'];
const envNote = extraCaCerts === undefined ? '' : keepExtraCaCerts ? `; NODE_EXTRA_CA_CERTS=${extraCaCerts} kept for every process (Node reads and parses it at start)` : `; NODE_EXTRA_CA_CERTS (set here to ${extraCaCerts}) removed for every timed process alike (with it Node parses that bundle at each start, ~40 ms CPU; --keep-extra-ca-certs keeps it)`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;

/** The CLI as `npm ci` leaves it: tsc, the built rules and the bundle (the web app is no part of this). */
function build(): void {
  for (const step of [['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], ['scripts/build-rules.mjs'], ['scripts/build-cli.mjs']]) {
    const r = spawnSync(process.execPath, step, { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`building dist/ failed at ${step.join(' ')}`);
  }
}

interface Command { name: string; argv: string[]; okStatus?: number[]; goal?: string; /** What is wrong with the output, if anything. */ check?: (stdout: string) => string | undefined }

/**
 * CPU time (user + system) of this process's finished children, in milliseconds, from /proc/self/stat
 * (Linux; clock ticks of 10 ms, so the table gives the mean over the rounds). Less disturbed than wall time
 * by other work on a shared machine. Undefined elsewhere.
 */
function childrenCpuMs(): number | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // after the command name: state is field 3, cutime and cstime fields 16 and 17 (1-based over the whole line)
  return (Number(fields[13]) + Number(fields[14])) * (1000 / 100);
}

/** One run of a command: wall milliseconds from spawn to exit, CPU milliseconds; its stdout for the checks. */
function timed(c: Command): { ms: number; cpuMs?: number; stdout: string } {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, c.argv, { encoding: 'utf8', maxBuffer: 64 << 20, env: timedEnv });
  const took = performance.now() - t0;
  const cpu1 = childrenCpuMs();
  if (!(c.okStatus ?? [0]).includes(r.status ?? -1)) throw new Error(`${c.name} exited ${r.status}: ${r.stderr}`);
  const wrong = c.check?.(r.stdout);
  if (wrong) throw new Error(`${c.name}: ${wrong}`);
  return { ms: took, ...(cpu0 !== undefined && cpu1 !== undefined ? { cpuMs: cpu1 - cpu0 } : {}), stdout: r.stdout };
}

function machine(): string {
  const duck = JSON.parse(readFileSync('node_modules/@duckdb/node-api/package.json', 'utf8')) as { version: string };
  const cpu = cpus();
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, ${osType()} ${release()}, Node ${process.version}, DuckDB ${duck.version}`;
}

function commit(): string {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).stdout.trim() ? ' plus uncommitted changes' : '';
  return `${r.stdout.trim() || 'unknown'}${dirty}`;
}

async function main(): Promise<void> {
  console.log('building dist/ (tsc, built rules, CLI bundle)');
  build();
  mkdirSync(dataRoot, { recursive: true });
  const stores = await ensureStores(dataRoot, networkRows, KQLITE);
  const asOf = stores.ds.now;
  // kqlite's datetimes are 100 ns ticks since the Unix epoch
  const asOfText = new Date(Number(asOf / 10_000n)).toISOString();
  const seeds = exampleRules();
  const queriesFile = join(stores.ds.dir, 'process-bench-seed-sql.json');
  writeFileSync(queriesFile, JSON.stringify(seeds.map((r) => ({ id: r.id, sql: kqlToSql(r.query, asOf).sql }))));

  const ws = ['--workspace', stores.workspace];
  const rowsLabel = `${stores.networkRows.toLocaleString('en-US')} rows`;
  const commands: Command[] = [
    { name: 'node -e 0 (Node itself, for reference)', argv: ['-e', '0'] },
    { name: '`kqlite --help`', argv: [...KQLITE, '--help'], goal: '≤ 60 ms' },
    { name: '`kqlite rules list` (511 rules)', argv: [...KQLITE, 'rules', 'list'], goal: '≤ 100 ms' },
    { name: "`kqlite query 'print 1'` (a query command's fixed cost)", argv: [...KQLITE, 'query', 'print x = 1'], goal: '≤ 100 ms' },
    { name: `\`kqlite query\` of one seed (Action1) over ${rowsLabel}`, argv: [...KQLITE, 'query', seeds[0]!.query, ...ws, '--as-of', asOfText, '--format', 'json'] },
    // exit code 2 on the first run (new findings), 0 later (the same findings, unchanged); every run must find
    // the planted Action1 and TacticalRMM devices, else it looked at the wrong time and did less than DuckDB
    { name: `\`kqlite hunt\` of the 3 seed rules over ${rowsLabel}`, argv: [...KQLITE, 'hunt', '--rules', ...seeds.map((r) => r.id), ...ws, '--as-of', asOfText, '--quiet'], okStatus: [0, 2], goal: '≤ 0.5× DuckDB',
      check: (out) => (/^rules: 3 run, 0 skipped, 0 failed$/m.test(out) && /^findings: (?!0 new, 0 updated, 0 unchanged)/m.test(out) ? undefined : `the hunt ran fewer rules or found nothing:\n${out}`) },
    { name: `DuckDB process: open the database file, the same 3 queries in SQL`, argv: ['bench/process/duckdb-hunt.mjs', stores.duckFile, queriesFile] },
  ];

  // The same rows on both sides: each seed's row count from kqlite equals DuckDB's.
  const duckCounts = timed(commands.at(-1)!).stdout.trim().split('\n').map((l) => Number(l.split(': ')[1]!.split(' ')[0]));
  const kqliteCounts = seeds.map((r) => (JSON.parse(timed({ name: r.id, argv: [...KQLITE, 'query', r.query, ...ws, '--as-of', asOfText, '--format', 'json'] }).stdout) as { rows: unknown[] }).rows.length);
  const same = duckCounts.every((n, i) => n === kqliteCounts[i]);
  console.log(`seed rows: kqlite ${kqliteCounts.join(', ')}; DuckDB ${duckCounts.join(', ')}${same ? '' : '  ✗ DIFFERENT'}`);

  // the same kqlite commands from the baseline checkout, run in the same rounds
  const before = baseline ? commands.map((c) => (c.argv[0] === KQLITE[0] ? { ...c, argv: [join(baseline, 'bin/kqlite.js'), ...c.argv.slice(1)] } : undefined)) : [];
  const times = commands.map(() => [] as number[]);
  const cpu = commands.map(() => [] as number[]);
  const beforeTimes = commands.map(() => [] as number[]);
  const beforeCpu = commands.map(() => [] as number[]);
  const loads: number[] = [];
  for (let round = 0; round < runs; round++) {
    loads.push(loadavg()[0]!);
    commands.forEach((c, i) => {
      const t = timed(c);
      times[i]!.push(t.ms);
      if (t.cpuMs !== undefined) cpu[i]!.push(t.cpuMs);
      const b = before[i];
      if (!b) return;
      const tb = timed(b);
      beforeTimes[i]!.push(tb.ms);
      if (tb.cpuMs !== undefined) beforeCpu[i]!.push(tb.cpuMs);
    });
    process.stdout.write(`\r  round ${round + 1}/${runs}`);
  }
  process.stdout.write('\n');
  const med = times.map(median);
  const duck = med.at(-1)!;
  const hunt = med.at(-2)!;
  const mean = (xs: number[]) => (xs.length ? ms(xs.reduce((a, b) => a + b, 0) / xs.length) : '');
  const lines = baseline
    ? ['| what | median wall time | range | CPU (mean) | before (baseline): wall, CPU | now / before (wall) | goal |', '|---|---:|---:|---:|---:|---:|---|']
    : ['| what | median wall time | range | CPU (mean) | goal |', '|---|---:|---:|---:|---|'];
  commands.forEach((c, i) => {
    const sorted = [...times[i]!].sort((a, b) => a - b);
    let goal = '';
    if (c.goal?.startsWith('≤ 0.5×')) goal = `${c.goal}: ${(hunt / duck).toFixed(2)}× ${hunt / duck <= 0.5 ? 'met' : '**missed**'}`;
    else if (c.goal) goal = `${c.goal} ${med[i]! <= Number(c.goal.replace(/[^0-9]/g, '')) ? 'met' : '**missed**'}`;
    const b = beforeTimes[i]!.length ? median(beforeTimes[i]!) : undefined;
    const was = baseline ? (b === undefined ? ' | | ' : ` | ${ms(b)}, ${mean(beforeCpu[i]!)} | ${(med[i]! / b).toFixed(2)} `) : ' ';
    lines.push(`| ${c.name} | ${ms(med[i]!)} | ${ms(sorted[0]!)}–${ms(sorted.at(-1)!)} | ${mean(cpu[i]!)}${was}| ${goal} |`);
  });
  if (baseline) {
    const bh = median(beforeTimes.at(-2)!);
    lines.push('', `Before (baseline ${baseline}): kqlite hunt / DuckDB process ${(bh / duck).toFixed(2)}×.`);
  }
  const load = `load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${cpus().length} cores during the runs`;
  // CPU time as well: on a shared machine wall time is mostly waiting for a core, and DuckDB's threads wait more
  const meanOf = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
  const byCpu = cpu.at(-1)!.length ? ` (by CPU time ${(meanOf(cpu.at(-2)!) / meanOf(cpu.at(-1)!)).toFixed(2)}×${baseline && beforeCpu.at(-2)!.length ? `; before ${(meanOf(beforeCpu.at(-2)!) / meanOf(cpu.at(-1)!)).toFixed(2)}×` : ''})` : '';
  const md = `${lines.join('\n')}\n\nkqlite hunt / DuckDB process: **${(hunt / duck).toFixed(2)}×**${byCpu}; the seeds' rows ${same ? 'equal in count on both sides' : '**differ**'} (kqlite ${kqliteCounts.join(', ')}; DuckDB ${duckCounts.join(', ')}).\n`;
  console.log(`\n${md}\n${load}${envNote}`);
  if (writeDoc) {
    const doc = 'docs/PERFORMANCE.md';
    const start = '<!-- process-bench -->';
    const end = '<!-- /process-bench -->';
    const body = `${start}\n${md}\nMachine: ${machine()}; ${load} (the machine is shared: medians of ${runs} rounds, each round every command once in turn)${envNote}. Commit ${commit()}, ${new Date().toISOString().slice(0, 10)}. Run: \`npm run bench -- ${args.join(' ') || '(defaults)'}\`.\n${end}`;
    const text = readFileSync(doc, 'utf8');
    const next = text.includes(start) ? text.slice(0, text.indexOf(start)) + body + text.slice(text.indexOf(end) + end.length) : `${text.trimEnd()}\n\n${body}\n`;
    writeFileSync(doc, next);
    console.log(`wrote ${doc}`);
  }
  if (!same) process.exitCode = 1;
}

if (!existsSync('bench/process/duckdb-hunt.mjs')) throw new Error('run from the repository root (npm run bench)');
await main();
