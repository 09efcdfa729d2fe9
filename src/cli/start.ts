/**
 * `kqlite start` (`npm start`): the quickstart's main job. Today it generates the built-in demo telemetry,
 * validates the example RMM rules against the Defender schemas, hunts with them at the data's end time
 * (now() = the latest event, since exports are hunted after the fact) and prints the findings.
 * The persistent workspace, the full rule pack and the web app plug in here as they land.
 */
import { parseArgs } from 'node:util';
import { MemorySource, runQuery } from '../engine/index.js';
import { toTextTable } from '../engine/format/encode.js';
import { formatDatetime } from '../engine/values/ticks.js';
import { checkQuery } from '../kql/semantics/index.js';
import { DEMO_COLUMNS, demoNetworkEvents } from '../ingest/demo/network-events.js';
import { EXAMPLE_RULES } from '../rules/example-rules.js';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { devices: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write('usage: kqlite start [--devices N] [--days D] [--seed S]\n\nBuilds the demo telemetry, hunts it with the example RMM rules and prints the findings.\n');
    return 0;
  }
  const demo = demoNetworkEvents({
    ...(values.devices ? { devices: Number(values.devices) } : {}),
    ...(values.days ? { days: Number(values.days) } : {}),
    ...(values.seed ? { seed: Number(values.seed) } : {}),
  });
  const source = new MemorySource(new Map([['DeviceNetworkEvents', { schema: { name: 'DeviceNetworkEvents', columns: DEMO_COLUMNS }, extents: [demo.table] }]]));
  const out = process.stdout;
  out.write(`kqlite: demo telemetry: ${demo.table.length} DeviceNetworkEvents rows\n`);
  out.write(`kqlite: hunting as of ${formatDatetime(demo.end)}, the end of the demo data (now() is bound to it)\n\n`);
  let findings = 0;
  let failed = 0;
  for (const rule of EXAMPLE_RULES) {
    const check = checkQuery(rule.query, { tables: ['DeviceNetworkEvents'] });
    const errors = check.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) {
      out.write(`✗ ${rule.name}: skipped, ${errors[0]!.message}\n`);
      failed++;
      continue;
    }
    const r = runQuery(rule.query, { source, now: demo.end });
    if (!r.ok) {
      out.write(`✗ ${rule.name}: ${r.diagnostics[0]?.message}\n`);
      failed++;
      continue;
    }
    const t = r.tables[0]!.table;
    findings += t.length;
    out.write(`● ${rule.name} [${rule.tool}]: ${t.length} finding${t.length === 1 ? '' : 's'} (${r.stats.rowsScanned} rows scanned, ${r.stats.durationMs} ms)\n`);
    if (t.length) out.write(toTextTable(t).replace(/^/gm, '    ') + '\n');
  }
  out.write(`summary: ${EXAMPLE_RULES.length - failed} rules run, ${failed} failed, ${findings} findings\n`);
  return failed ? 1 : 0;
}
