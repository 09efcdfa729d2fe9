/**
 * Windows event logs as ingest records: each event becomes its Sentinel row (SecurityEvent / WindowsEvent)
 * with, where the Defender mapping has one, its Defender row riding along (`also`), so `read N = loaded L +
 * quarantined Q` counts events, not rows. EVTX files are read by evtx/reader.ts chunk by chunk; the JSON
 * forms (evtx_dump, Winlogbeat, NXLog) arrive as parsed objects from the JSON readers.
 */
import { readEvtx } from '../evtx/reader.js';
import type { RecordItem } from '../readers.js';
import type { Source } from '../source.js';
import { defenderRow } from './defender.js';
import { fromDump, fromWindowsJson, type WinEvent } from './event.js';
import { sentinelRow } from './sentinel.js';

const RAW_KEPT = 2000;
const BATCH = 2048;

/** The rows of one event: its Sentinel row, plus its Defender row as `also`. */
export function eventItem(e: WinEvent, file: string, at: Partial<RecordItem>): RecordItem {
  const main = sentinelRow(e, file);
  const d = defenderRow(e, file);
  return { ...at, table: main.table, row: main.row, ...(d ? { also: [d] } : {}) };
}

/** Records damaged EVTX chunks lost, by their headers' counts; `unknown`: damaged chunks whose header is unreadable. */
export interface EvtxLosses {
  records: number;
  unknown: number;
}

/**
 * The records of an EVTX file (the source's bytes). Where: the byte of the file the record (or chunk) starts at.
 * `losses` adds up the records damaged chunks held (a damaged place is one quarantined item, which may stand
 * for many records).
 */
export async function* readEvtxRecords(src: Source, file: string, losses?: EvtxLosses): AsyncGenerator<RecordItem[]> {
  let out: RecordItem[] = [];
  for await (const item of readEvtx(src.chunks())) {
    if ('lost' in item && item.lost && losses) {
      if (item.lost.records === undefined) losses.unknown++;
      else losses.records += item.lost.records;
    }
    if (item.record) {
      const r = item.record;
      const e = fromDump(r.event);
      if (typeof e === 'string') out.push({ byte: r.byte, problem: `record ${r.recordId}: ${e}`, raw: JSON.stringify(r.event).slice(0, RAW_KEPT) });
      else {
        if (e.recordId === undefined) e.recordId = r.recordId;
        out.push(eventItem(e, file, { byte: r.byte }));
      }
    } else if (item.problem) out.push({ byte: item.problem.byte, problem: item.problem.reason });
    if (out.length >= BATCH) {
      yield out;
      out = [];
    }
  }
  if (out.length) yield out;
}

/** The JSON readers' records of a Windows event export, each turned into its rows (or a problem naming why not). */
export async function* windowsJsonRecords(batches: AsyncGenerator<RecordItem[]>, file: string): AsyncGenerator<RecordItem[]> {
  for await (const batch of batches) {
    const out: RecordItem[] = [];
    for (const item of batch) {
      if (item.problem || !item.row) {
        out.push(item);
        continue;
      }
      const at = { ...(item.line !== undefined ? { line: item.line } : {}), ...(item.offset !== undefined ? { offset: item.offset } : {}) };
      const e = fromWindowsJson(item.row);
      out.push(typeof e === 'string' ? { ...at, problem: e, raw: JSON.stringify(item.row).slice(0, RAW_KEPT) } : eventItem(e, file, at));
    }
    yield out;
  }
}
