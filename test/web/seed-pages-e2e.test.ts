// The three seed pages (../shared/seeds) against kqlite's rule pages, field by field, in headless Chromium:
// the web app (`kqlite serve`) and the static site (`kqlite site build`, opened from file://). Every field a
// seed page shows is read from the seed's text (test/helpers/seed-page.ts) and must be on kqlite's page,
// equal and linked the same way: title, badges (language, severity, source), techniques, tables, "View
// original rule at …" and its upstream address, "Retrieved: … · Confidence: …", the query, the rule
// definition, the data-source rows and the "Original source" footer. kqlite reads none of this at run time.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkip, launchChromium } from '../helpers/browser.js';
import { mainQuietly } from '../helpers/quiet-main.js';
import { flatLines, seedPages, type SeedPage } from '../helpers/seed-page.js';
import { buildServer } from '../../src/server/app.js';

const skip = browserSkip;
let root: string;
let browser: Browser | undefined;

before(async () => {
  if (skip) return;
  root = mkdtempSync(join(tmpdir(), 'kqlite-seed-pages-'));
  const build = spawnSync(process.execPath, ['scripts/build-web.mjs', '--outdir', join(root, 'web')], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  assert.equal(await mainQuietly(['demo', '--workspace', join(root, 'ws'), '--devices', '5', '--days', '2']), 0);
  assert.equal(await mainQuietly(['site', 'build', '--out', join(root, 'site'), '--workspace', join(root, 'ws'), '--base-url', 'https://soc.example.com/feed']), 0);
  browser = await launchChromium(['--allow-file-access-from-files']);
});

after(async () => {
  await browser?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** What a rule page shows, read the same way from the app and from the static site. */
async function shown(page: Page, badgeSel: string) {
  const text = async (id: string) => (await page.getByTestId(id).first().textContent()) ?? '';
  return {
    title: await text('rule-name'),
    badges: (await page.locator(badgeSel).allInnerTexts()).map((b) => b.trim()),
    upstreamText: await text('original-upstream'),
    upstreamHref: await page.getByTestId('original-upstream').getAttribute('href'),
    provenance: (await text('provenance')).replace(/\s+/g, ' '),
    query: await text('rule-query'),
    yaml: await text('rule-yaml'),
    dataSources: await page.getByTestId('data-source').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''))),
    original: await text('original-source'),
    originalHref: await page.getByTestId('original-source').locator('a').getAttribute('href'),
  };
}

function compare(seed: SeedPage, got: Awaited<ReturnType<typeof shown>>, where: string) {
  const at = `${where} ${seed.file}`;
  assert.equal(got.title, seed.title, `${at}: title`);
  // badges: the seed's language, severity and source, then its techniques and tables, each on kqlite's page
  const lower = got.badges.map((b) => b.replace(/\*$/, '').toLowerCase());
  for (const b of [...(seed.badges ?? []), ...seed.techniques, ...seed.tables]) assert.ok(lower.includes(b.toLowerCase()), `${at}: badge ${b} in ${got.badges.join(' | ')}`);
  if (seed.badges) assert.ok(got.badges.includes(seed.badges[1]!) || got.badges.includes(`${seed.badges[1]}*`), `${at}: severity shown as ${seed.badges[1]}`);
  if (seed.upstreamText) assert.equal(got.upstreamText, seed.upstreamText, `${at}: upstream link text`);
  if (seed.retrieved) assert.ok(got.provenance.includes(`Retrieved: ${seed.retrieved} · Confidence: ${seed.confidence}`), `${at}: "${got.provenance}"`);
  if (seed.indented) {
    assert.equal(got.query.trimEnd(), seed.query.trimEnd(), `${at}: query`);
    assert.equal(got.yaml.trimEnd(), seed.yaml.trimEnd(), `${at}: rule definition`);
  } else {
    assert.equal(flatLines(got.query), flatLines(seed.query), `${at}: query`);
    assert.equal(flatLines(got.yaml), flatLines(seed.yaml), `${at}: rule definition`);
  }
  for (const d of seed.dataSources) {
    assert.ok(got.dataSources.some((cells) => cells[0] === d.table && cells[cells.length - 1] === d.note), `${at}: data source ${d.table} "${d.note}" in ${JSON.stringify(got.dataSources)}`);
  }
  if (seed.originalSource) {
    assert.equal(got.original, `Original source: ${seed.originalSource}`, `${at}: footer`);
    // linked the same way: the footer and "View original rule" open the upstream file (the address, encoded)
    assert.equal(got.originalHref, encodeURI(seed.originalSource), `${at}: footer link`);
    assert.equal(got.upstreamHref, encodeURI(seed.originalSource), `${at}: upstream link`);
  }
}

test('the seed pages, field by field, on the web app\'s rule pages', { skip, timeout: 120_000 }, async () => {
  const app = await buildServer({ workspaceDir: join(root, 'ws'), webRoot: join(root, 'web'), engineWorkers: 1 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(30_000);
  try {
    const seeds = seedPages();
    assert.equal(seeds.length, 3);
    for (const seed of seeds) {
      await page.goto(`${base}/rules/${seed.id}`);
      await page.getByTestId('rule-yaml').waitFor();
      compare(seed, await shown(page, '.rule-head .badges .badge'), 'app');
    }
  } finally {
    await page.close();
    await app.close();
  }
});

test('the seed pages, field by field, on the static site\'s rule pages (file://)', { skip, timeout: 120_000 }, async () => {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    for (const seed of seedPages()) {
      await page.goto(pathToFileURL(join(root, 'site', 'rules', `${seed.id}.html`)).href);
      await page.getByTestId('rule-yaml').waitFor();
      compare(seed, await shown(page, '.badges .badge'), 'site');
    }
  } finally {
    await page.close();
  }
});
