/**
 * `kqlite site build --out DIR [--base-url URL]`: the feed, every rule page, coverage and what's new as a
 * static site (plain HTML and CSS, a search index, relative links: any static host or file://), plus the
 * ATT&CK Navigator layer and, given the site's address, Atom and JSON feeds.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CATALOG_BUILT_AT, coverage, loadRules, navigatorLayer, safeHttpUrl, sources, type Rule } from '../rules/index.js';
import { atomFeed, jsonFeed } from '../rules/feeds/documents.js';
import { SEARCH_JS, SITE_CSS } from './site/assets.js';
import { ruleFileName } from './site/html.js';
import { coveragePage, feedPage, rulePage, searchEntry, whatsNewPage } from './site/pages.js';
import { guarded, parseSubcommand, UsageError, workspaceDir, refuseInsideWorkspace } from './shared.js';

const HELP = `usage: kqlite site build --out DIR [--base-url URL] [--workspace DIR]
Writes index.html (the feed and its search), rules/<id>.html, coverage.html, whats-new.html,
navigator-layer.json and, with --base-url (the address the site will be served at), feed.atom and feed.json.`;

export async function run(args: string[]): Promise<number> {
  return guarded('site', () => {
    const p = parseSubcommand('site', args, { workspace: { type: 'string', short: 'w' }, out: { type: 'string', short: 'o' }, 'base-url': { type: 'string' } }, HELP, { build: { positionals: [], options: ['out', 'base-url'] } });
    if (!p) return 0;
    if (!p.values.out) throw new UsageError(`site build needs --out DIR\n${HELP}`);
    const baseArg = p.values['base-url'];
    const base = baseArg === undefined ? undefined : safeHttpUrl(baseArg)?.replace(/\/+$/, '');
    if (baseArg !== undefined && !base) throw new UsageError(`--base-url must be an http or https address, not '${baseArg}'`);
    const started = Date.now();
    const ws = workspaceDir(p.values.workspace);
    const out = resolve(p.values.out);
    refuseInsideWorkspace('--out', out, ws);
    if (existsSync(out) && readdirSync(out).length && !existsSync(join(out, 'search-index.js'))) throw new Error(`${out} is not empty and not a kqlite site: choose an empty or new folder`);
    mkdirSync(join(out, 'rules'), { recursive: true });
    const rules = loadRules(existsSync(ws) ? ws : undefined).slice().sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    const hash = (s: string) => createHash('sha256').update(s).digest('hex');
    const files = new Map<string, string>();
    const taken = new Set<string>();
    for (const r of rules) {
      let f = ruleFileName(r.id, hash);
      // two ids that differ only in case would share a file on case-insensitive disks
      if (taken.has(f.toLowerCase())) f = f.replace(/\.html$/, `-${hash(r.id).slice(0, 8)}.html`);
      taken.add(f.toLowerCase());
      files.set(r.id, f);
    }
    const fileOf = (r: Rule) => files.get(r.id)!;
    for (const r of rules) writeFileSync(join(out, 'rules', fileOf(r)), rulePage(r));
    writeFileSync(join(out, 'index.html'), feedPage(rules, fileOf, base));
    writeFileSync(join(out, 'search-index.js'), `window.KQLITE_INDEX = ${JSON.stringify(rules.map((r) => searchEntry(r, fileOf(r))))};\n`);
    writeFileSync(join(out, 'search.js'), SEARCH_JS);
    writeFileSync(join(out, 'style.css'), SITE_CSS);
    const rep = coverage(rules);
    writeFileSync(join(out, 'coverage.html'), coveragePage(rep, (id) => files.get(id)));
    writeFileSync(join(out, 'navigator-layer.json'), JSON.stringify(navigatorLayer(rep), null, 1) + '\n');
    const changes = existsSync(ws) ? sources.readChanges(ws).changes : [];
    writeFileSync(join(out, 'whats-new.html'), whatsNewPage(changes, (id) => files.get(id)));
    if (base) {
      const opts = { base, fallbackTime: CATALOG_BUILT_AT, pageUrl: (id: string) => `${base}/rules/${encodeURIComponent(files.get(id) ?? '')}` };
      writeFileSync(join(out, 'feed.atom'), atomFeed(rules, { ...opts, self: `${base}/feed.atom` }));
      writeFileSync(join(out, 'feed.json'), jsonFeed(rules, { ...opts, self: `${base}/feed.json` }));
    }
    process.stdout.write(`wrote ${rules.length} rule pages, the feed, coverage (${rep.techniques.length} techniques) and what's new (${changes.length} syncs)${base ? ', feed.atom and feed.json' : ' (no --base-url: no Atom/JSON feeds)'} to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return 0;
  });
}
