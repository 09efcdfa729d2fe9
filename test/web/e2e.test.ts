// The web app end to end: the built bundle served by the real server over a demo workspace, driven in
// headless Chromium (playwright-core, /usr/bin/chromium). Skipped, saying why, where no Chromium is installed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { browserSkip, launchChromium, SHOTS } from '../helpers/browser.js';
import { buildServer } from '../../src/server/app.js';
import { mainQuietly } from '../helpers/quiet-main.js';
import { narrowWindow, walkThrough } from './e2e-flow.js';
import { everydayUse, everyPageAtBothWidths } from './e2e-everyday.js';

const skip = browserSkip;
let root: string;
let browser: Browser | undefined;

before(async () => {
  if (skip) return;
  root = mkdtempSync(join(tmpdir(), 'kqlite-web-e2e-'));
  const build = spawnSync(process.execPath, ['scripts/build-web.mjs', '--outdir', join(root, 'web')], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  // monaco's CSS is in editor.css, not in app.css (every page) nor left behind as chunk CSS
  const web = join(root, 'web');
  assert.ok(!readFileSync(join(web, 'app.css'), 'utf8').includes('.monaco-scrollable-element'), 'app.css holds only the app');
  assert.ok(readFileSync(join(web, 'editor.css'), 'utf8').includes('.monaco-scrollable-element'));
  assert.deepEqual(readdirSync(join(web, 'chunks')).filter((f) => f.endsWith('.css')), []);
  assert.equal(await mainQuietly(['demo', '--workspace', join(root, 'ws')]), 0);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function serve(token?: string) {
  const app = await buildServer({ workspaceDir: join(root, 'ws'), webRoot: join(root, 'web'), engineWorkers: 1, ...(token ? { token } : {}) });
  // what the server answered for each static file, to see what the browser's cache saved
  const answered: { url: string; status: number }[] = [];
  app.addHook('onResponse', async (req, reply) => { if (!req.url.startsWith('/api/')) answered.push({ url: req.url, status: reply.statusCode }); });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, answered };
}

/** Screenshots numbered in the order taken, under test-artifacts/screenshots/ (the names say page and width). */
function shooter(page: Page, prefix: string) {
  mkdirSync(SHOTS, { recursive: true });
  let n = 0;
  return async (name: string) => {
    await page.screenshot({ path: join(SHOTS, `${prefix}${String(++n).padStart(2, '0')}-${name}.png`), fullPage: false });
  };
}

test('feed → T1219 → Action1 rule → hunt → benign → coverage → workbench diagnostic', { skip, timeout: 180_000 }, async () => {
  const { app, base } = await serve();
  const page = await browser!.newPage({ viewport: { width: 1440, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith(base) && !/^(data|blob):/.test(r.url())) problems.push(`request to another origin: ${r.url()}`); });
  page.setDefaultTimeout(30_000);
  try {
    const shoot = shooter(page, 'w');
    await walkThrough(page, base, () => {}, shoot);
    await narrowWindow(page, base, shoot);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await app.close();
  }
});

test('the token: adopted from ?token= and stripped from the address, asked for when missing', { skip, timeout: 60_000 }, async () => {
  const { app, base } = await serve('e2e-token-123');
  try {
    const ctx = await browser!.newContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/coverage?token=e2e-token-123`);
    await page.getByTestId('attack-matrix').waitFor();
    assert.equal(new URL(page.url()).search, '');
    await ctx.close();

    const fresh = await browser!.newContext();
    const p2 = await fresh.newPage();
    await p2.goto(`${base}/`);
    await p2.getByTestId('token-form').waitFor();
    await p2.getByTestId('token-input').fill('wrong');
    await p2.getByTestId('token-submit').click();
    await p2.getByTestId('token-form').waitFor();
    await p2.getByTestId('token-input').fill('e2e-token-123');
    await p2.getByTestId('token-submit').click();
    await p2.getByTestId('rule-card').first().waitFor();
    await fresh.close();
  } finally {
    await app.close();
  }
});

test('everyday use: every page at 1440 and 390 px, shareable links, what sets findings apart, evidence values, timeline, one count, sort, one banner', { skip, timeout: 420_000 }, async () => {
  const { app, base } = await serve();
  const page = await browser!.newPage({ viewport: { width: 1440, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.setDefaultTimeout(30_000);
  try {
    await mainQuietly(['hunt', '--workspace', join(root, 'ws'), '--quiet']); // the pack, as npm start hunts
    await everyPageAtBothWidths(page, base, shooter(page, 'p'));
    await everydayUse(page, base, shooter(page, 'u'));
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await app.close();
  }
});

test('static files: a second visit revalidates (304) instead of downloading again; hashed chunks come from the cache', { skip, timeout: 120_000 }, async () => {
  const { app, base, answered } = await serve();
  const ctx = await browser!.newContext();
  const page = await ctx.newPage();
  const encodings = new Map<string, string | undefined>();
  page.on('response', (r) => { if (r.status() === 200) encodings.set(new URL(r.url()).pathname, r.headers()['content-encoding']); });
  try {
    for (let visit = 0; visit < 2; visit++) {
      await page.goto(`${base}/workbench`);
      await page.waitForSelector('[data-testid=query-editor][data-state=ready]', { timeout: 60_000 });
      await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/kusto.worker.js') && (e as PerformanceResourceTiming).responseEnd > 0), undefined, { timeout: 60_000 });
      await page.goto(`${base}/`);
    }
    const of = (re: RegExp) => answered.filter((a) => re.test(a.url)).map((a) => a.status);
    assert.deepEqual(of(/^\/kusto\.worker\.js$/), [200, 304], 'the 8 MB worker crosses the wire once');
    const app = of(/^\/app\.js$/);
    assert.ok(app[0] === 200 && app.length > 1 && app.slice(1).every((s) => s === 304), `app.js: downloaded once, then revalidated (${app})`);
    assert.ok(of(/^\/workbench$/).slice(1).every((s) => s === 304), 'the page itself too');
    for (const chunk of new Set(answered.filter((a) => a.url.startsWith('/chunks/')).map((a) => a.url))) {
      assert.deepEqual(of(new RegExp(`^${chunk.replace(/[.]/g, '\\.')}$`)), [200], `${chunk}: immutable, not asked for again`);
    }
    assert.equal(encodings.get('/app.js'), 'br', 'compressed');
  } finally {
    await ctx.close();
    await app.close();
  }
});

test('the workbench runs a query on a saved remote engine and says which answered', { skip, timeout: 120_000 }, async () => {
  const { app, base } = await serve();
  // the remote is this very server's Kusto endpoint, as Azure Data Explorer would be
  const { addRemote, removeRemote } = await import('../../src/remote/index.js');
  addRemote(join(root, 'ws'), 'lab', { kind: 'kusto', cluster: base, database: 'kqlite', auth: { method: 'none' } });
  const page = await browser!.newPage({ viewport: { width: 1366, height: 900 } });
  try {
    await page.goto(`${base}/workbench`);
    await page.getByTestId('run-target').selectOption('lab');
    await page.locator('[data-testid=query-editor] .view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('DeviceInfo | summarize devices = dcount(DeviceName)');
    await page.keyboard.press('Control+Enter');
    const stats = page.getByTestId('query-stats');
    await stats.waitFor();
    assert.match(await stats.textContent() ?? '', new RegExp(`answered by kusto ${base.replace(/[.]/g, '\\.')}/kqlite`));
    assert.match(await page.getByTestId('query-results').textContent() ?? '', /devices/);
  } finally {
    await page.close();
    removeRemote(join(root, 'ws'), 'lab');
    await app.close();
  }
});
