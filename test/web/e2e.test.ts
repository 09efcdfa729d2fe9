// The web app end to end: the built bundle served by the real server over a demo workspace, driven in
// headless Chromium (playwright-core, /usr/bin/chromium). Skipped, saying why, where no Chromium is installed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { buildServer } from '../../src/server/app.js';
import { main } from '../../src/cli/main.js';
import { narrowWindow, walkThrough } from './e2e-flow.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// CI (.ci/run installs Debian's chromium) must run these; elsewhere a missing browser skips them, saying why.
const missing = existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (install Debian's chromium or set CHROMIUM_PATH)`;
if (missing && process.env['CI']) throw new Error(`browser tests cannot run in CI: ${missing}`);
const skip = missing ?? false;
const SHOTS = join('test-artifacts', 'screenshots');
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
  const quiet = process.stdout.write;
  process.stdout.write = () => true;
  try {
    assert.equal(await main(['demo', '--workspace', join(root, 'ws')]), 0);
  } finally {
    process.stdout.write = quiet;
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});

after(async () => {
  await browser?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function serve(token?: string) {
  const app = await buildServer({ workspaceDir: join(root, 'ws'), webRoot: join(root, 'web'), engineWorkers: 1, ...(token ? { token } : {}) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

test('feed → T1219 → Action1 rule → hunt → benign → coverage → workbench diagnostic', { skip, timeout: 180_000 }, async () => {
  const { app, base } = await serve();
  const page = await browser!.newPage({ viewport: { width: 1366, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith(base) && !/^(data|blob):/.test(r.url())) problems.push(`request to another origin: ${r.url()}`); });
  page.setDefaultTimeout(30_000);
  try {
    mkdirSync(SHOTS, { recursive: true });
    let n = 0;
    const shoot = async (name: string) => {
      await page.screenshot({ path: join(SHOTS, `${String(++n).padStart(2, '0')}-${name}.png`), fullPage: false });
    };
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
