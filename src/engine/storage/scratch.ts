/**
 * Reusable row buffers for the arrays a query makes and drops within one operator: the rows a `where` keeps
 * (written here, then copied at their own size), a group-by's key ids per row. Allocating such arrays the
 * size of the input on every query made most of a selective query's typed-array allocation (a where over
 * 30 extents of 100k rows keeping a few percent: 24 MB per run; a group-by over 1M rows: 20 MB), and V8
 * counts that memory: past about 64 MB since the last full collection it starts one, which marks the whole
 * heap (a second or more of CPU with a workspace's columns loaded).
 *
 * A taken buffer is its taker's alone until given back (a nested query run meanwhile takes another or
 * allocates its own). A few are kept, none over MAX_ROWS rows (16 MB), so the process holds at most ~100 MB.
 */

const MAX_ROWS = 1 << 22;
const MAX_SPARES = 6;
const spares: Int32Array[] = [];

/** A buffer of at least `n` rows (contents undefined), for this caller alone until `giveRows`. */
export function takeRows(n: number): Int32Array {
  let best = -1;
  for (let i = 0; i < spares.length; i++) if (spares[i]!.length >= n && (best < 0 || spares[i]!.length < spares[best]!.length)) best = i;
  if (best >= 0) return spares.splice(best, 1)[0]!;
  return new Int32Array(Math.max(n, 1024));
}

/** Returns a buffer from takeRows (its contents are garbage from now on; no view of it may be read after). */
export function giveRows(b: Int32Array): void {
  if (b.length > MAX_ROWS || spares.includes(b)) return;
  if (spares.length < MAX_SPARES) spares.push(b);
  else {
    // keep the larger buffers
    let min = 0;
    for (let i = 1; i < spares.length; i++) if (spares[i]!.length < spares[min]!.length) min = i;
    if (spares[min]!.length < b.length) spares[min] = b;
  }
}

/** The first `n` rows of a buffer from takeRows, copied at their own size, and the buffer given back. */
export function keepRows(b: Int32Array, n: number): Int32Array {
  const out = b.slice(0, n);
  giveRows(b);
  return out;
}
