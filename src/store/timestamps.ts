/** Min/max of a table's Timestamp (or TimeGenerated) column in ticks: extent metadata for time pruning. */
import { joinTicks } from '../engine/values/ticks.js';
import { isValid, type Table } from '../engine/storage/column.js';

export function timestampRange(table: Table): { minTimestamp?: bigint; maxTimestamp?: bigint } {
  const col = table.columns.find((c) => c.name === 'Timestamp' || c.name === 'TimeGenerated')?.column;
  if (!col || col.type !== 'datetime') return {};
  let minHi = Infinity, minLo = 0, maxHi = -Infinity, maxLo = 0;
  for (let i = 0; i < col.length; i++) {
    if (!isValid(col.validity, i)) continue;
    const hi = col.hi[i]!, lo = col.lo[i]!;
    if (hi < minHi || (hi === minHi && lo < minLo)) { minHi = hi; minLo = lo; }
    if (hi > maxHi || (hi === maxHi && lo > maxLo)) { maxHi = hi; maxLo = lo; }
  }
  if (minHi === Infinity) return {};
  return { minTimestamp: joinTicks(minHi, minLo), maxTimestamp: joinTicks(maxHi, maxLo) };
}
