/** `kqlite demo [--workspace DIR] [--devices N] [--days D] [--seed S]`: a workspace of synthetic telemetry. */
import { createDemoWorkspace, MANIFEST_FILE } from '../ingest/index.js';
import { guarded, parseCommand, UsageError, workspaceDir } from './shared.js';

const HELP = `usage: kqlite demo [--workspace DIR] [--devices N] [--days D] [--seed S]

Creates a workspace of deterministic synthetic Defender telemetry (DeviceInfo, DeviceNetworkEvents,
DeviceProcessEvents, DeviceFileCertificateInfo) with sanctioned RMM use, planted abuse and decoys.
The scenario manifest is written to <workspace>/${MANIFEST_FILE}.`;

export function positiveInt(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive whole number, not '${v}'`);
  return n;
}

export async function run(args: string[]): Promise<number> {
  return guarded('demo', () => {
    const p = parseCommand('demo', args, { workspace: { type: 'string', short: 'w' }, devices: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' } }, HELP);
    if (!p) return 0;
    const v = p.values;
    const dir = workspaceDir(v.workspace);
    const devices = positiveInt(v.devices, 'devices');
    const days = positiveInt(v.days, 'days');
    const seed = positiveInt(v.seed, 'seed');
    const { manifest, rows } = createDemoWorkspace(dir, { ...(devices ? { devices } : {}), ...(days ? { days } : {}), ...(seed ? { seed } : {}) });
    process.stdout.write(`kqlite demo: created ${dir}\n`);
    for (const [t, n] of Object.entries(rows)) process.stdout.write(`  ${t.padEnd(28)} ${n} rows\n`);
    process.stdout.write(`  ${manifest.devices} devices, ${manifest.days} days (${manifest.start} .. ${manifest.end}), seed ${manifest.seed}\n`);
    process.stdout.write(`  planted: ${manifest.scenarios.map((s) => `${s.kind} ${s.tool}`).join('; ')}\n`);
    return 0;
  });
}
