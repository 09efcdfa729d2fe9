/** Links kqlite renders must work in a browser and never run script: http and https only. */
export function safeHttpUrl(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** A rule file's `references:` (strings or {Title, Link}/{url} items): the safe URLs, and what was dropped. */
export function referencesOf(raw: unknown): { urls: string[]; dropped: string[] } {
  const items = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const urls: string[] = [];
  const dropped: string[] = [];
  for (const item of items) {
    const text = typeof item === 'string' ? item : item && typeof item === 'object' ? Object.values(item as Record<string, unknown>).find((v) => typeof v === 'string' && /^\s*[a-z][a-z0-9+.-]*:/i.test(v)) : undefined;
    if (typeof text !== 'string') continue;
    const url = safeHttpUrl(text);
    if (url) { if (!urls.includes(url)) urls.push(url); } else dropped.push(text.trim().slice(0, 200));
  }
  return { urls, dropped };
}
