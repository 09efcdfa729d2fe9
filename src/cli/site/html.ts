/** HTML text for the static site: every value escaped, every link http/https or a relative page. */
import { isWindowsDeviceName } from '../../common/file-names.js';
import { safeHttpUrl } from '../../rules/index.js';

export const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** An outside link, or just its text when it is not http/https. */
export function extLink(url: string | undefined, text: string, attrs = ''): string {
  const safe = safeHttpUrl(url);
  return safe ? `<a href="${esc(safe)}" rel="noopener noreferrer"${attrs}>${esc(text)}</a>` : esc(text);
}

/** `feedBase`: the site's address when it has feed.atom and feed.json, linked in the head for feed readers to discover. */
export function page(opts: { title: string; root: string; body: string; nav: 'feed' | 'coverage' | 'whats-new' | 'rule'; feedBase?: string | undefined }): string {
  const item = (href: string, label: string, key: string) => `<a href="${opts.root}${href}"${opts.nav === key ? ' aria-current="page"' : ''}>${label}</a>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(opts.title)} · kqlite feed</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${opts.root}style.css">
${opts.feedBase ? `<link rel="alternate" type="application/atom+xml" title="kqlite detection feed (Atom)" href="${esc(opts.feedBase)}/feed.atom">
<link rel="alternate" type="application/feed+json" title="kqlite detection feed (JSON Feed)" href="${esc(opts.feedBase)}/feed.json">
` : ''}</head>
<body>
<header class="topbar"><a class="brand" href="${opts.root}index.html">kqlite</a>
<nav aria-label="Main">${item('index.html', 'Feed', 'feed')} ${item('whats-new.html', "What's new", 'whats-new')} ${item('coverage.html', 'Coverage', 'coverage')}</nav></header>
<main id="main">
${opts.body}
</main>
</body>
</html>
`;
}

/** File name of a rule's page: its id where that is a safe name, else the id made safe plus a short hash. */
export function ruleFileName(id: string, hash: (s: string) => string): string {
  const safe = id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
  // an id Windows would read as a device (`CON`, `nul.x`) gets the hash too: `con.html` cannot be written there
  return `${safe === id && !isWindowsDeviceName(safe) ? safe : `${safe}-${hash(id).slice(0, 8)}`}.html`;
}
