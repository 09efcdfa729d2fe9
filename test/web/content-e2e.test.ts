// The content side as a detection engineer uses it, in headless Chromium, on what was wrong when it was walked
// by hand (docs/WEB.md): "Open in workbench" from a rule whose query is 16,688 characters (its ?q= address was
// refused with HTTP 431), the feed's search over query text (the box promises it), feed autodiscovery links in
// the app and the static site, the coverage counts, and the static site over http (no console errors, the
// search in the address so Back and reload keep it, coverage cells that lead to the technique's rules).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkip, launchChromium } from '../helpers/browser.js';
import { mainQuietly } from '../helpers/quiet-main.js';
import { validateAtom, validateJsonFeed } from '../helpers/feed-validate.js';
import { buildServer } from '../../src/server/app.js';
import type { RuleDetail, RulesResponse } from '../../src/server/api.js';

const skip = browserSkip;
const SITE_BASE = 'https://soc.example.com/feed';
const CATCH_ALL = 'kqlite-rmm-all-tools-netconn';
const TACTICAL = 'd5559c16-6959-4974-8051-c39d52886862';
const AWS_SIGMA = '5f0a3b52-7d4e-4b8a-9c1d-2e3f4a5b6c7d';
let root: string;
let browser: Browser | undefined;

before(async () => {
  if (skip) return;
  root = mkdtempSync(join(tmpdir(), 'kqlite-content-e2e-'));
  const build = spawnSync(process.execPath, ['scripts/build-web.mjs', '--outdir', join(root, 'web')], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  assert.equal(await mainQuietly(['demo', '--workspace', join(root, 'ws'), '--devices', '5', '--days', '2']), 0);
  // a Sigma rule for AWS (not runnable here) whose reference is titled by a long address
  mkdirSync(join(root, 'sigma'));
  writeFileSync(join(root, 'sigma', 'aws_guardrail_deleted.yml'), [
    'title: Cloud guardrail deleted', `id: ${AWS_SIGMA}`, 'status: experimental', 'description: A guardrail was deleted.',
    'references:', '  - https://docs.aws.amazon.com/bedrock/latest/APIReference/API_DeleteGuardrail_WithAVeryLongName.html',
    'author: Test Author', 'date: 2026-07-10', 'tags:', '  - attack.t1562.008', 'logsource:', '  product: aws', '  service: cloudtrail',
    'detection:', '  selection:', '    eventSource: bedrock.amazonaws.com', '    eventName: DeleteGuardrail', '  condition: selection', 'level: medium', '',
  ].join('\n'));
  assert.equal(await mainQuietly(['rules', 'import', join(root, 'sigma'), '--workspace', join(root, 'ws')]), 0);
  assert.equal(await mainQuietly(['site', 'build', '--out', join(root, 'site'), '--workspace', join(root, 'ws'), '--base-url', SITE_BASE]), 0);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** A page that records console errors, page errors and HTTP errors (none may happen). */
async function watchedPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url().slice(0, 200)}`); });
  page.setDefaultTimeout(30_000);
  return { page, problems };
}

/** `expected`: problems the test causes on purpose (e.g. a 404 for an unknown rule). */
async function withApp(fn: (page: Page, base: string) => Promise<void>, expected?: RegExp) {
  const app = await buildServer({ workspaceDir: join(root, 'ws'), webRoot: join(root, 'web'), engineWorkers: 1 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const { page, problems } = await watchedPage();
  try {
    await fn(page, base);
    assert.deepEqual(problems.filter((p) => !expected?.test(p)), []);
  } finally {
    await page.close();
    await app.close();
  }
}

test('"Open in workbench" from a rule with a 16,688-character query opens the workbench with that query', { skip, timeout: 120_000 }, async () => {
  await withApp(async (page, base) => {
    const rule = (await (await page.request.get(`${base}/api/rules/${CATCH_ALL}`)).json()) as RuleDetail;
    assert.ok(rule.query.length > 10_000, `a long query: ${rule.query.length}`);
    await page.goto(`${base}/rules/${CATCH_ALL}`);
    await page.getByTestId('open-in-workbench').click();
    await page.locator('[data-testid=query-editor][data-state=ready]').waitFor();
    assert.equal(new URL(page.url()).searchParams.get('rule'), CATCH_ALL);
    const firstLine = rule.query.split('\n')[0]!;
    await page.locator('[data-testid=query-editor] .view-line', { hasText: firstLine }).first().waitFor();
    // the whole query runs: Ctrl+Enter at the top runs the block (no blank line in it)
    // click a rendered line: the centre of .view-lines (10,000 px tall for 579 lines) lies outside the editor's view
    await page.locator('[data-testid=query-editor] .view-line', { hasText: firstLine }).first().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('result-rowcount').waitFor();
    // a short query keeps its text in the address
    await page.goto(`${base}/rules/kqlite-rmm-anydesk-netconn`);
    assert.match(await page.getByTestId('open-in-workbench').getAttribute('href') ?? '', /^\/workbench\?q=/);
    // an unknown rule says so in the workbench
    await page.goto(`${base}/workbench?rule=no-such-rule`);
    await page.getByTestId('error').filter({ hasText: 'The query of rule no-such-rule could not be loaded' }).waitFor();
  }, /no-such-rule|status of 404/);
});

test('feed: search finds words of the query text, counts agree with the API; feeds are discoverable and valid', { skip, timeout: 120_000 }, async () => {
  await withApp(async (page, base) => {
    await page.goto(`${base}/`);
    await page.getByTestId('rule-card').first().waitFor();
    await page.getByTestId('feed-search').fill('tacticalrmm.io has_any');
    await page.getByTestId('feed-search').press('Enter');
    const api = (await (await page.request.get(`${base}/api/rules?q=${encodeURIComponent('tacticalrmm.io has_any')}`)).json()) as RulesResponse;
    assert.ok(api.total >= 1);
    await page.waitForFunction((n) => document.querySelector('[data-testid=rule-count]')?.textContent === n, `${api.total} rule${api.total === 1 ? '' : 's'}`);
    await page.locator(`[data-testid=rule-card][data-rule-id="${TACTICAL}"]`).waitFor();
    // feed readers find the Atom and JSON feeds from any page
    for (const [type, check] of [['application/atom+xml', validateAtom], ['application/feed+json', validateJsonFeed]] as const) {
      const href = await page.locator(`head link[rel=alternate][type="${type}"]`).getAttribute('href');
      assert.ok(href, `a ${type} autodiscovery link`);
      const r = await page.request.get(new URL(href, page.url()).href);
      assert.equal(r.status(), 200);
      assert.ok(check(await r.text()).length > 0);
    }
  });
});

test('feed: Back from a rule returns to the list as it was (the cards drawn with "Show more", the scroll position); filters restore from the address', { skip, timeout: 120_000 }, async () => {
  await withApp(async (page, base) => {
    await page.goto(`${base}/?tool=Action1&q=net`);
    await page.locator('.result-bar .chip', { hasText: 'Tool: Action1' }).waitFor();
    assert.equal(await page.getByTestId('feed-search').inputValue(), 'net');
    const deep = (await (await page.request.get(`${base}/api/rules?tool=Action1&q=net`)).json()) as RulesResponse;
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=rule-card]').length === n, deep.total);
    await page.goto(`${base}/`);
    await page.getByTestId('rule-card').first().waitFor();
    for (const n of [200, 300]) {
      await page.getByTestId('show-more').click();
      await page.waitForFunction((k) => document.querySelectorAll('[data-testid=rule-card]').length === k, n);
    }
    const link = page.getByTestId('rule-card').nth(250).getByTestId('rule-link');
    const name = await link.textContent();
    await link.click();
    await page.getByTestId('rule-page').waitFor();
    await page.goBack();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=rule-card]').length === 300);
    // the rule followed is in view again
    await page.waitForFunction((n) => {
      const a = [...document.querySelectorAll('[data-testid=rule-link]')].find((x) => x.textContent === n);
      const r = a?.getBoundingClientRect();
      return r !== undefined && r.top >= 0 && r.bottom <= innerHeight;
    }, name);
    // a new filter starts from the first 100 again
    await page.getByTestId('facet-severity').locator('[data-testid=facet-option]').first().click();
    await page.waitForURL(/severity=/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=rule-card]').length <= 100);
  });
});

test('a Sigma rule that cannot run here, at 390 px: the badge and the reason, no empty excerpt under its diagnostic, a long reference wraps', { skip, timeout: 120_000 }, async () => {
  await withApp(async (page, base) => {
    await page.setViewportSize({ width: 390, height: 900 });
    await page.goto(`${base}/rules/${AWS_SIGMA}`);
    await page.getByTestId('rule-page').waitFor();
    await page.getByTestId('not-runnable').waitFor();
    assert.match(await page.getByTestId('not-runnable-reason').textContent() ?? '', /^Not runnable here: logsource \(product aws, service cloudtrail\)/);
    assert.equal(await page.getByTestId('rule-query-none').count(), 1);
    const diag = page.getByTestId('rule-diagnostics').getByTestId('diagnostic').filter({ hasText: 'SIGMA001' });
    await diag.waitFor();
    assert.equal(await diag.getByTestId('diagnostic-excerpt').count(), 0, 'no excerpt of an empty line');
    await page.getByTestId('references').waitFor();
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= 390, `the page is ${w} px wide at 390`);
  });
});

test('coverage: each technique\'s count is its valid rules and matches the feed\'s technique filter', { skip, timeout: 120_000 }, async () => {
  await withApp(async (page, base) => {
    await page.goto(`${base}/coverage`);
    const cell = page.locator('[data-testid=technique-cell][data-technique=T1219]');
    await cell.waitFor();
    const feed = (await (await page.request.get(`${base}/api/rules?technique=T1219&status=valid&status=warning`)).json()) as RulesResponse;
    assert.equal(await cell.getByTestId('technique-rules').textContent(), `${feed.total.toLocaleString('en-US')} rules`);
    await cell.click();
    // a technique with hundreds of rules lists them 100 at a time (14,619 drawn at once took 10 s)
    const detail = page.getByTestId('technique-detail');
    await detail.getByTestId('technique-rule').first().waitFor();
    assert.equal(await detail.getByTestId('technique-rule').count(), 100);
    const all = (await (await page.request.get(`${base}/api/rules?technique=T1219`)).json()) as RulesResponse;
    assert.equal(await detail.getByTestId('technique-rules-more').textContent(), `Show 100 more of ${all.total - 100}`);
    await detail.getByTestId('technique-rules-more').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=technique-rule]').length === 200);
    await page.getByTestId('technique-detail').getByRole('link', { name: 'Open in feed' }).click();
    await page.getByTestId('rule-card').first().waitFor();
    assert.equal(await page.getByTestId('rule-count').textContent(), `${all.total.toLocaleString('en-US')} rules`);
  });
});

/** A minimal static file server for the built site (what any static host does, including answering /favicon.ico with 404). */
function staticServer(dir: string): Promise<{ server: Server; base: string }> {
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.atom': 'application/atom+xml' };
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const f = join(dir, path.endsWith('/') ? path + 'index.html' : path);
    if (!f.startsWith(dir) || !existsSync(f) || !statSync(f).isFile()) { res.writeHead(404).end('not found'); return; }
    res.writeHead(200, { 'content-type': types[extname(f)] ?? 'application/octet-stream' }).end(readFileSync(f));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

test('static site over http: no console errors, feeds discoverable, the search survives Back and reload, coverage cells lead to the technique\'s rules', { skip, timeout: 120_000 }, async () => {
  const { server, base } = await staticServer(join(root, 'site'));
  const { page, problems } = await watchedPage();
  try {
    await page.goto(`${base}/index.html`);
    await page.getByTestId('rule-card').first().waitFor();
    assert.equal(await page.locator('head link[rel=alternate][type="application/atom+xml"]').getAttribute('href'), `${SITE_BASE}/feed.atom`);
    assert.equal(await page.locator('head link[rel=alternate][type="application/feed+json"]').getAttribute('href'), `${SITE_BASE}/feed.json`);
    await page.getByTestId('feed-search').fill('tacticalrmm');
    await page.waitForURL(/\?q=tacticalrmm$/);
    const count = await page.getByTestId('rule-count').textContent();
    assert.match(count ?? '', /^\d+ rules?$/);
    await page.getByTestId('rule-link').first().click();
    await page.getByTestId('rule-name').waitFor();
    await page.goBack();
    await page.waitForFunction((c) => document.getElementById('rule-count')?.textContent === c, count);
    assert.equal(await page.getByTestId('feed-search').inputValue(), 'tacticalrmm');
    await page.reload();
    await page.waitForFunction((c) => document.getElementById('rule-count')?.textContent === c, count);
    // coverage: the cell's count is its rules, and following it lists that many
    await page.goto(`${base}/coverage.html`);
    const cell = page.locator('[data-testid=technique-cell][data-technique=T1219]');
    const n = Number(await cell.getAttribute('data-rules'));
    assert.ok(n > 1);
    await cell.locator('a').click();
    await page.waitForFunction((c) => document.getElementById('rule-count')?.textContent?.startsWith(c), `${n} rules`);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await new Promise((done) => server.close(done));
  }
});
