// Deterministic broken variants of valid queries, for the accept/reject agreement test.
export function brokenVariants(query: string, seed: number): { how: string; text: string }[] {
  const out: { how: string; text: string }[] = [];
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const close = query.lastIndexOf(')');
  if (close > 0) out.push({ how: 'drop last )', text: query.slice(0, close) + query.slice(close + 1) });
  const eq = query.indexOf('==');
  if (eq > 0) out.push({ how: 'drop right operand of ==', text: query.slice(0, eq + 2) + ' ' + query.slice(eq + 2).replace(/^\s*("[^"]*"|'[^']*'|[\w.]+)/, '') });
  const pipe = query.indexOf('|');
  if (pipe > 0) out.push({ how: 'double pipe', text: query.slice(0, pipe) + '| |' + query.slice(pipe + 1) });
  const cut = Math.floor(rand() * query.length);
  out.push({ how: `truncate at ${cut}`, text: query.slice(0, cut) });
  const comma = query.indexOf(',');
  if (comma > 0) out.push({ how: 'double comma', text: query.slice(0, comma) + ',,' + query.slice(comma + 1) });
  return out;
}
