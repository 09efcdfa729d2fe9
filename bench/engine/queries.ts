/**
 * What the engine benchmark runs, each line in KQL for kqlite and in SQL for DuckDB: the three seed hunts
 * (their feed pages' queries), every RMM rule of the built-in pack as one hunt, and heavier queries of the
 * hunting corpus's kinds (summarize by bin, join, mv-expand). Seed and rule SQL comes from kql-to-sql.ts;
 * the heavier ones are written by hand with the same semantics.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinRules } from '../../src/rules/index.js';
import { kqlToSql, type SqlQuery } from './kql-to-sql.js';

export interface BenchLine {
  name: string;
  /** One or more queries run in turn (a hunt runs many rules). */
  queries: { id: string; kql: string; sql: SqlQuery }[];
  /** kqlite runs the queries as a hunt does: rules reading the same scan + wheres share one pass. */
  fused?: boolean;
}

const SEEDS: [string, string][] = [
  ['seed: Action1 network connection', '000_9d92655b09ae6f89.txt'],
  ['seed: mRemoteNG network connection', '003_58c1ef0474cfe996.txt'],
  ['seed: TacticalRMM network connection', '004_94c3e2a02c68ec41.txt'],
];

/** The query of a seed feed page (read from the shared test data, never shipped in the product). */
function seedQuery(file: string): string {
  const path = `../shared/seeds/${file}`;
  if (!existsSync(path)) throw new Error(`${path} is missing: the benchmark reads the seed pages from the shared test data`);
  const text = readFileSync(path, 'utf8');
  const body = text.slice(text.indexOf('\nKQL Query\n') + 11, text.indexOf('\nAnalytic Rule Definition'));
  const cut = body.search(/\nid: /);
  return (cut >= 0 ? body.slice(0, cut) : body).trim();
}

const T = (ticks: bigint) => `make_timestamp_ns(${ticks * 100n})`;
const HOUR = 36_000_000_000n;
const DAY = 24n * HOUR;

export function benchLines(now: bigint): BenchLine[] {
  const lines: BenchLine[] = SEEDS.map(([name, file]) => {
    const kql = seedQuery(file);
    return { name, queries: [{ id: file, kql, sql: kqlToSql(kql, now) }] };
  });
  const rules = builtinRules();
  lines.push({ name: `all RMM rules of the pack (${rules.length}), one hunt`, fused: true, queries: rules.map((r) => ({ id: r.id, kql: r.query, sql: kqlToSql(r.query, now) })) });
  lines.push({
    name: 'summarize by bin: connections per hour and process',
    queries: [{
      id: 'bin',
      kql: 'DeviceNetworkEvents\n| summarize Connections=count(), Devices=dcount(DeviceId) by bin(Timestamp, 1h), InitiatingProcessFileName',
      sql: { keys: ['Timestamp', 'InitiatingProcessFileName'], sets: {}, sql: `SELECT (epoch_ns("Timestamp") // ${HOUR * 100n}) * ${HOUR} AS "Timestamp", "InitiatingProcessFileName", count(*) AS "Connections", count(DISTINCT "DeviceId") AS "Devices" FROM "DeviceNetworkEvents" GROUP BY 1, 2` },
    }],
  });
  lines.push({
    name: 'join: processes and their connections per device, last day',
    queries: [{
      id: 'join',
      kql: `DeviceProcessEvents
| where Timestamp > ago(1d)
| summarize Processes=count() by DeviceId, FileName
| join kind=inner (DeviceNetworkEvents | where Timestamp > ago(1d) | summarize Connections=count() by DeviceId, InitiatingProcessFileName) on DeviceId, $left.FileName == $right.InitiatingProcessFileName
| project DeviceId, FileName, Processes, Connections`,
      sql: { keys: ['DeviceId', 'FileName'], sets: {}, sql: `SELECT p."DeviceId", p."FileName", p."Processes", n."Connections" FROM
 (SELECT "DeviceId", "FileName", count(*) AS "Processes" FROM "DeviceProcessEvents" WHERE "Timestamp" > ${T(now - DAY)} GROUP BY 1, 2) p
 JOIN (SELECT "DeviceId", "InitiatingProcessFileName", count(*) AS "Connections" FROM "DeviceNetworkEvents" WHERE "Timestamp" > ${T(now - DAY)} GROUP BY 1, 2) n
 ON p."DeviceId" = n."DeviceId" AND p."FileName" = n."InitiatingProcessFileName"` },
    }],
  });
  lines.push({
    name: 'mv-expand: command-line words, last 2 days',
    queries: [{
      id: 'mv-expand',
      kql: `DeviceProcessEvents
| where Timestamp > ago(2d)
| extend Words = split(ProcessCommandLine, ' ')
| mv-expand Word = Words to typeof(string)
| summarize Count=count() by Word`,
      sql: { keys: ['Word'], sets: {}, sql: `SELECT "Word", count(*) AS "Count" FROM (SELECT unnest(string_split("ProcessCommandLine", ' ')) AS "Word" FROM "DeviceProcessEvents" WHERE "Timestamp" > ${T(now - 2n * DAY)}) GROUP BY 1` },
    }],
  });
  return lines;
}
