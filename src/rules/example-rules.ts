/**
 * The three upstream hunting rules of the SOC feed's seed pages (network connections of Action1, mRemoteNG
 * and TacticalRMM), as published in Azure-Sentinel's `Hunting Queries/Microsoft 365 Defender/
 * RemoteManagementMonitoring/` (MIT license; written for jischell-msft/RemoteManagementMonitoringTools, MIT),
 * with the upstream addresses, retrieval times and text the seed pages show. They are in the default feed so
 * `npm start` shows those pages; read by the same reader as any Sentinel file. kqlite reads nothing of
 * ../shared at run time: the text is here.
 */
import { readSentinelYaml } from './readers/sentinel.js';
import type { Rule } from './rule.js';

const REPO = 'https://github.com/Azure/Azure-Sentinel';
const FOLDER = 'Hunting Queries/Microsoft 365 Defender/RemoteManagementMonitoring';
export const EXAMPLE_SOURCE = 'Azure-Sentinel';
const LICENSE = 'MIT (Azure/Azure-Sentinel; rules from jischell-msft/RemoteManagementMonitoringTools, MIT)';

const DESCRIPTION = `description: |
    Remote Monitoring and Management (RMM) programs are IT to manage remote endpoints. Attackers have begun to abuse these programs to persist or provide C2 channels.
    https://github.com/jischell-msft/RemoteManagementMonitoringTools`;

const yamlOf = (id: string, name: string, where: string) => `id: ${id}
name: ${name}
${DESCRIPTION}
requiredDataConnectors:
- connectorId: MicrosoftThreatProtection
  dataTypes:
  - DeviceNetworkEvents
tactics: CommandAndControl
relevantTechniques: T1219
query: |
  let Time_start = now(-5d);
  let Time_end = now();
  //
  DeviceNetworkEvents
  | where Timestamp between (Time_start..Time_end)
${where}
  | summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), 
      Report=make_set(ReportId), Count=count() by DeviceId, DeviceName,
      RemoteUrl 
`;

const EXAMPLES = [
  {
    file: 'rmm_Action1_netconn.yaml', retrieved: '2026-05-25T23:00:00Z',
    yaml: yamlOf('7da76b41-8c1d-4602-91c6-5d99738d38f4', 'Remote Management and Montioring tool - Action1 - Network Connection',
      "  | where RemoteUrl has 'server.action1.com'\n      and InitiatingProcessVersionInfoCompanyName has 'Action1'\n      and InitiatingProcessVersionInfoProductName has 'Action1'"),
  },
  {
    file: 'rmm_mRemoteNG_netconn.yaml', retrieved: '2026-06-01T23:00:00Z',
    yaml: yamlOf('b4bae4af-5fe3-4217-bef0-c7ac5d51f3d1', 'Remote Management and Monitoring tool - mRemoteNG - Network Connection',
      "  | where RemoteUrl has 'mremoteng.org'\n      and InitiatingProcessVersionInfoCompanyName has 'mRemoteNG'"),
  },
  {
    // the seed page of this rule shows no retrieval time: this is when kqlite took the text from it
    file: 'rmm_TacticalRMM_netconn.yaml', retrieved: '2026-12-07T00:00:00Z',
    yaml: yamlOf('d5559c16-6959-4974-8051-c39d52886862', 'Remote Management and Monitoring tool - TacticalRMM - Network Connection',
      "  | where RemoteUrl has 'tacticalrmm.io'\n      and InitiatingProcessVersionInfoCompanyName has_any (\n          'AmidaWare',\n          'Tactical Techs'\n      )"),
  },
];

/** The seed pages' addresses: the upstream file on its default branch, as the seed footer shows it. */
export const exampleWebUrl = (file: string) => `${REPO}/blob/main/${`${FOLDER}/${file}`.split('/').map(encodeURIComponent).join('/')}`;

/** Reads the examples' YAML (what `npm run build` writes into the built file; see builtin.ts `exampleRules()`). */
export function readExampleRules(): Rule[] {
  return EXAMPLES.flatMap((x) => {
    const read = readSentinelYaml(x.yaml, {
      path: `${FOLDER}/${x.file}`,
      source: { kind: 'builtin', name: EXAMPLE_SOURCE, repository: REPO, webUrl: exampleWebUrl(x.file), importedAt: x.retrieved, license: LICENSE, author: 'jischell-msft' },
    });
    if (read.kind !== 'rules') throw new Error(`built-in example ${x.file} does not read: ${JSON.stringify(read)}`);
    // shown in the feed; a plain `kqlite hunt` runs the generated pack, which covers the same tools
    for (const r of read.rules) r.tags.push('on-request');
    return read.rules;
  });
}
