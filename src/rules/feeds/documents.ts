/**
 * The feed as documents people subscribe to: Atom 1.0 (RFC 4287) and JSON Feed 1.1. Entries are rules,
 * newest retrieval first; each links to its rule page (under `base`) and, where it has one, to the upstream
 * file. Every text is escaped for XML; links are http/https only.
 */
import { safeHttpUrl } from '../readers/safe-url.js';
import type { Rule } from '../rule.js';

export interface FeedOptions {
  /** Absolute base of the rule pages, e.g. https://soc.example.com (no trailing slash). */
  base: string;
  /** This document's own address (Atom rel=self, JSON Feed feed_url). */
  self: string;
  title?: string;
  /** When a rule has no retrieval time (the built-in pack): its build time. */
  fallbackTime: string;
  /** Rule page address for an id (default `${base}/rules/<id>`; the static site uses its own file names). */
  pageUrl?: (id: string) => string;
}

const xml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
  // characters XML 1.0 does not allow
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

const isoTime = (t: string | undefined, fallback: string) => {
  const ms = t ? Date.parse(t) : NaN;
  return new Date(Number.isNaN(ms) ? Date.parse(fallback) || 0 : ms).toISOString().replace(/\.000Z$/, 'Z');
};

export function feedEntries(rules: readonly Rule[], opts: FeedOptions, limit: number): { rule: Rule; updated: string; url: string; upstream?: string }[] {
  const page = opts.pageUrl ?? ((id: string) => `${opts.base}/rules/${encodeURIComponent(id)}`);
  return rules
    .map((rule) => {
      const upstream = safeHttpUrl(rule.source.webUrl);
      return { rule, updated: isoTime(rule.source.importedAt, opts.fallbackTime), url: page(rule.id), ...(upstream ? { upstream } : {}) };
    })
    // plain comparisons: ISO times order as text, and a feed may sort tens of thousands of rules
    .sort((a, b) => (a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : a.rule.name < b.rule.name ? -1 : a.rule.name > b.rule.name ? 1 : 0))
    .slice(0, limit);
}

const summaryOf = (r: Rule) => `${r.severity} · ${[...r.techniques, ...r.tables].join(' · ')} · ${r.source.name}${r.version > 1 ? ` · version ${r.version}` : ''}`;
const textOf = (r: Rule, upstream?: string) => `${r.description}\n\n${r.query}${upstream ? `\n\nOriginal source: ${upstream}` : ''}`;

export function atomFeed(rules: readonly Rule[], opts: FeedOptions, limit = 200): string {
  const entries = feedEntries(rules, opts, limit);
  const updated = entries[0]?.updated ?? isoTime(undefined, opts.fallbackTime);
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xml(opts.self)}</id>`,
    `  <title>${xml(opts.title ?? 'kqlite detection feed')}</title>`,
    `  <updated>${updated}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(opts.self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xml(opts.base + '/')}"/>`,
    '  <author><name>kqlite</name></author>',
    '  <generator>kqlite</generator>',
  ];
  for (const e of entries) {
    const r = e.rule;
    out.push('  <entry>', `    <id>${xml(e.url)}</id>`, `    <title>${xml(r.name)}</title>`, `    <updated>${e.updated}</updated>`,
      `    <link rel="alternate" type="text/html" href="${xml(e.url)}"/>`);
    if (e.upstream) out.push(`    <link rel="via" href="${xml(e.upstream)}"/>`);
    out.push(`    <author><name>${xml(r.source.author ?? r.source.name)}</name></author>`);
    for (const t of [...r.techniques, ...r.tactics]) out.push(`    <category term="${xml(t)}"/>`);
    out.push(`    <summary type="text">${xml(summaryOf(r))}</summary>`, `    <content type="text">${xml(textOf(r, e.upstream))}</content>`, '  </entry>');
  }
  out.push('</feed>', '');
  return out.join('\n');
}

export function jsonFeed(rules: readonly Rule[], opts: FeedOptions, limit = 200): string {
  const entries = feedEntries(rules, opts, limit);
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: opts.title ?? 'kqlite detection feed',
    home_page_url: opts.base + '/',
    feed_url: opts.self,
    authors: [{ name: 'kqlite' }],
    items: entries.map((e) => ({
      id: e.url,
      url: e.url,
      ...(e.upstream ? { external_url: e.upstream } : {}),
      title: e.rule.name,
      summary: summaryOf(e.rule),
      content_text: textOf(e.rule, e.upstream),
      date_modified: e.updated,
      authors: [{ name: e.rule.source.author ?? e.rule.source.name }],
      tags: [...e.rule.techniques, ...e.rule.tactics, ...e.rule.tables],
    })),
  }, null, 1);
}
