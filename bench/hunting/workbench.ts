/** What the hunting benchmark's worker reports, and the workbench queries of its memory check (no side effects: the bench imports it). */
import type { CanonRow } from './compare.js';

/** Per run: wall time and CPU time of the whole process (DuckDB's worker threads included). */
export interface ShapeTiming { name: string; ms: number[]; cpuMs: number[]; rows: CanonRow[] }
export interface HuntQueryOutput { reloadMs: number; shapes: ShapeTiming[]; peakRssMiB: number }
export interface HuntIngestOutput { ms: number; peakRssMiB: number }
export interface MemoryOutput { budgetMiB: number; what: string; peakRssMiB: number; baseRssMiB: number; ms: number; outcome: string; cacheMiB: number }

/**
 * The workbench queries of the memory check, each over every row: a summarize by hour, a join of every
 * process to its connections, and a group-by with millions of groups (device × hour, with a dcount each).
 */
export const WORKBENCH_QUERIES = [
  'DeviceNetworkEvents\n| summarize Connections=count(), Devices=dcount(DeviceId) by bin(Timestamp, 1h), RemotePort',
  'DeviceProcessEvents\n| join kind=inner (DeviceNetworkEvents | project DeviceId, InitiatingProcessId, RemoteIP) on DeviceId, $left.ProcessId == $right.InitiatingProcessId\n| summarize Connections=count() by FileName',
  'DeviceNetworkEvents\n| summarize Connections=count(), Addresses=dcount(RemoteIP) by DeviceId, bin(Timestamp, 1h)\n| summarize Hours=count(), Busiest=max(Connections) by DeviceId',
];

