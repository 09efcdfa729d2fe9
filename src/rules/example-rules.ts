/**
 * Three upstream hunting rules (the network-connection rules for Action1, mRemoteNG and TacticalRMM, as
 * published in Azure-Sentinel / RemoteManagementMonitoringTools, MIT license; see README "Licenses") used by
 * the quickstart. Queries as published; the rule pack generated from the RMM catalog replaces these.
 */
export interface ExampleRule {
  id: string;
  name: string;
  tool: string;
  query: string;
}

const netconn = (url: string, companyClause: string) => `let Time_start = now(-5d);
let Time_end = now();
DeviceNetworkEvents
| where Timestamp between (Time_start..Time_end)
| where RemoteUrl has '${url}'
    and ${companyClause}
| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp),
    Report=make_set(ReportId), Count=count() by DeviceId, DeviceName, RemoteUrl`;

export const EXAMPLE_RULES: readonly ExampleRule[] = [
  { id: '7da76b41-8c1d-4602-91c6-5d99738d38f4', name: 'Remote Management and Monitoring tool - Action1 - Network Connection', tool: 'Action1', query: netconn('server.action1.com', "InitiatingProcessVersionInfoCompanyName has 'Action1'\n    and InitiatingProcessVersionInfoProductName has 'Action1'") },
  { id: 'b4bae4af-5fe3-4217-bef0-c7ac5d51f3d1', name: 'Remote Management and Monitoring tool - mRemoteNG - Network Connection', tool: 'mRemoteNG', query: netconn('mremoteng.org', "InitiatingProcessVersionInfoCompanyName has 'mRemoteNG'") },
  { id: 'd5559c16-6959-4974-8051-c39d52886862', name: 'Remote Management and Monitoring tool - TacticalRMM - Network Connection', tool: 'TacticalRMM', query: netconn('tacticalrmm.io', "InitiatingProcessVersionInfoCompanyName has_any ('AmidaWare', 'Tactical Techs')") },
];
