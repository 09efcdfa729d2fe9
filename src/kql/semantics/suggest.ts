/**
 * "Did you mean": the nearest known name. A name that is the tail of a longer known name wins first
 * (`AccountUpn` → `InitiatingProcessAccountUpn`: Defender prefixes columns by entity), then the smallest
 * edit distance within a third of the name's length.
 */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  const low = name.toLowerCase();
  const list = [...candidates];
  const tails = list.filter((c) => c.length > name.length && c.toLowerCase().endsWith(low));
  if (tails.length) return tails.sort((a, b) => a.length - b.length || a.localeCompare(b))[0];
  let best: string | undefined;
  // A suggestion must keep more of the name than it changes (no 'A' for 'B').
  let bestD = Math.min(name.length, Math.max(2, Math.floor(name.length / 3)) + 1);
  for (const c of list) {
    const d = editDistance(low, c.toLowerCase(), bestD);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best) return best;
  const contains = list.filter((c) => c.toLowerCase().includes(low) && low.length >= 4);
  return contains.sort((a, b) => a.length - b.length)[0];
}

/** Optimal-string-alignment distance (transpositions count once), abandoned early past `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  const prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1);
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin >= limit) return limit;
    for (let j = 0; j <= b.length; j++) prev2[j] = prev[j]!;
    prev = cur;
  }
  return prev[b.length]!;
}
