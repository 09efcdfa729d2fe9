// The web app as an analyst works it, on what went wrong when it was walked by hand: thousands of findings
// (a noisy rule: the list pages, the run page draws a part, nothing freezes), a finding's drafts and undo, the
// workbench's diagnostic with its line and caret, a wide result at phone width. Headless Chromium over the real
// server and bundle; skipped, saying why, where no Chromium is installed.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkip, launchChromium, SHOTS } from '../helpers/browser.js';
import { lowContrastText } from '../helpers/contrast.js';
import { mainQuietly } from '../helpers/quiet-main.js';
import { runCli } from '../helpers/cli.js';
import { buildServer } from '../../src/server/app.js';

const skip = browserSkip;
const NOISY = '11111111-2222-3333-4444-555555555555';
const SEEDS = ['7da76b41-8c1d-4602-91c6-5d99738d38f4', 'b4bae4af-5fe3-4217-bef0-c7ac5d51f3d1', 'd5559c16-6959-4974-8051-c39d52886862'];
let root: string;
let browser: Browser | undefined;

before(async () => {
  if (skip) return;
  root = mkdtempSync(join(tmpdir(), 'kqlite-web-analyst-'));
  const build = spawnSync(process.execPath, ['scripts/build-web.mjs', '--outdir', join(root, 'web')], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const ws = join(root, 'ws');
  assert.equal(await mainQuietly(['demo', '--workspace', ws]), 0);
  // one finding per connection: the demo's 4,301 network events become 4,301 findings
  mkdirSync(join(root, 'rules'));
  writeFileSync(join(root, 'rules', 'every-connection.yaml'), [
    `id: ${NOISY}`, 'name: Every outbound connection', 'description: A noisy rule, one finding per connection.', 'severity: Low',
    'tactics:', '  - CommandAndControl', 'relevantTechniques:', '  - T1071', 'query: |', '  DeviceNetworkEvents',
    '  | summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), Count=count() by DeviceId, DeviceName, RemoteIP, RemotePort, InitiatingProcessCommandLine', '',
  ].join('\n'));
  assert.equal(await mainQuietly(['rules', 'import', join(root, 'rules'), '--workspace', ws]), 0);
  assert.equal(await mainQuietly(['hunt', '--workspace', ws, '--rules', NOISY, '--quiet']), 2, 'exit 2: new findings');
  // the static site as `kqlite site build` writes it without --base-url (so without the Atom/JSON feeds)
  assert.equal(await mainQuietly(['site', 'build', '--out', join(root, 'site'), '--workspace', ws]), 0);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function withPage(width: number, fn: (page: Page, base: string) => Promise<void>) {
  const app = await buildServer({ workspaceDir: join(root, 'ws'), webRoot: join(root, 'web'), engineWorkers: 1 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const page = await browser!.newPage({ viewport: { width, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.setDefaultTimeout(30_000);
  mkdirSync(SHOTS, { recursive: true });
  try {
    await fn(page, base);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await app.close();
  }
}

const rangeText = (page: Page) => page.getByTestId('findings-range').textContent();

test('4,301 findings: the list comes 100 at a time, pages have addresses (reload, back), triage keeps the page; a run draws 200 and more on request', { skip, timeout: 180_000 }, async () => {
  await withPage(1440, async (page, base) => {
    await page.goto(`${base}/findings`);
    await page.getByTestId('findings-pager').waitFor();
    assert.equal(await page.getByTestId('findings-count').textContent(), '4,301 findings');
    assert.equal(await page.getByTestId('finding-row').count(), 100);
    assert.equal(await rangeText(page), '1–100 of 4,301 · page 1 of 44');
    const firstOfPage1 = await page.getByTestId('finding-row').first().getAttribute('data-finding-id');

    await page.getByTestId('findings-next').click();
    await page.waitForURL(/[?&]page=2$/);
    await page.getByTestId('findings-range').filter({ hasText: '101–200 of 4,301' }).waitFor();
    assert.equal(await page.getByTestId('finding-row').count(), 100);
    const firstOfPage2 = await page.getByTestId('finding-row').first().getAttribute('data-finding-id');
    assert.notEqual(firstOfPage2, firstOfPage1);

    await page.reload();
    await page.getByTestId('findings-range').filter({ hasText: '101–200 of 4,301' }).waitFor();
    assert.equal(await page.getByTestId('finding-row').first().getAttribute('data-finding-id'), firstOfPage2);

    // triage on page 2: the finding's address keeps the page, and the list stays on it after the change
    await page.getByTestId('finding-open').nth(3).click();
    await page.getByTestId('finding-detail').waitFor();
    assert.match(page.url(), /\/findings\/[0-9a-f]+\?page=2$/);
    await page.getByTestId('set-status-investigating').click();
    await page.locator('[data-testid=set-status-investigating][aria-pressed=true]').waitFor();
    assert.equal(await rangeText(page), '101–200 of 4,301 · page 2 of 44');

    // a filter starts again at page 1; the last page holds the rest
    await page.getByTestId('filter-status').selectOption('new');
    await page.getByTestId('findings-count').filter({ hasText: '4,300 findings' }).waitFor();
    assert.equal(await rangeText(page), '1–100 of 4,300 · page 1 of 43');
    await page.goto(`${base}/findings?page=44`);
    await page.getByTestId('findings-range').filter({ hasText: '4,301–4,301 of 4,301' }).waitFor();
    assert.equal(await page.getByTestId('finding-row').count(), 1);
    assert.equal(await page.getByTestId('findings-next').count(), 0, 'no Next on the last page');
    await page.goBack();
    await page.getByTestId('findings-range').filter({ hasText: 'of 4,300' }).waitFor();

    // the run that found them all: its table draws 200 rows, then 200 more on request
    await page.goto(`${base}/runs`);
    await page.getByTestId('run-link').first().click();
    await page.getByTestId('run-findings').waitFor();
    assert.equal(await page.getByTestId('run-findings').getByTestId('finding-row').count(), 200);
    const more = page.getByTestId('run-findings-more');
    assert.equal(await more.textContent(), 'Show 200 more of 4,101');
    await more.click();
    await page.getByTestId('run-findings-more').filter({ hasText: 'of 3,901' }).waitFor();
    assert.equal(await page.getByTestId('run-findings').getByTestId('finding-row').count(), 400);
    await page.screenshot({ path: join(SHOTS, 'analyst-01-findings-paged.png') });
  });
});

test('a finding: drafts stay with their finding, a status or assignee change can be undone, counts say one event', { skip, timeout: 120_000 }, async () => {
  await withPage(1440, async (page, base) => {
    await page.goto(`${base}/findings`);
    const rows = page.getByTestId('finding-open');
    await rows.nth(0).click();
    const detail = page.getByTestId('finding-detail');
    const a = await rows.nth(0).textContent();
    await detail.and(page.locator(`[data-finding-id="${a}"]`)).getByTestId('assignee-input').waitFor();
    assert.match(await detail.locator('.finding-meta').textContent() ?? '', /· 1 event 20/, 'one event, not "1 events"');

    // status: set, said, undone (the server audits both)
    await page.getByTestId('set-status-benign').click();
    await page.getByTestId('triage-done').filter({ hasText: 'Status set to benign (was new).' }).waitFor();
    await page.getByTestId('triage-undo').click();
    await page.locator('[data-testid=set-status-new][aria-pressed=true]').waitFor();
    await page.getByTestId('triage-undo').waitFor({ state: 'detached' });
    await detail.locator('summary').click();
    await page.getByTestId('finding-audit').locator('li').nth(1).waitFor();
    assert.match(await page.getByTestId('finding-audit').textContent() ?? '', /status.*"to":"benign"[\s\S]*status.*"to":"new"/);

    // assignee: set, undone back to nobody
    await page.getByTestId('assignee-input').fill('alice');
    await page.getByTestId('assignee-save').click();
    await page.getByTestId('triage-done').filter({ hasText: 'Assigned to alice (was unassigned).' }).waitFor();
    await page.getByTestId('triage-undo').click();
    await page.getByTestId('triage-undo').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('assignee-input').inputValue(), '');

    // a draft note and name typed for one finding do not follow to the next one opened
    await page.getByTestId('assignee-input').fill('bob');
    await page.getByTestId('note-input').fill('draft for the first finding');
    const b = await rows.nth(1).textContent();
    await rows.nth(1).click();
    await page.locator(`[data-testid=finding-detail][data-finding-id="${b}"] [data-testid=set-status-new]`).waitFor();
    assert.equal(await page.getByTestId('note-input').inputValue(), '');
    assert.equal(await page.getByTestId('assignee-input').inputValue(), '');
    assert.equal(await page.getByTestId('triage-undo').count(), 0);
  });
});

test('workbench: a bad query shows its diagnostic with line:column and the line with a caret under the span', { skip, timeout: 120_000 }, async () => {
  await withPage(1440, async (page, base) => {
    const q = 'DeviceInfo\n| take 1\n\nDeviceInfo\n| where DeviceNam == "x"\n| take 5';
    await page.goto(`${base}/workbench?q=${encodeURIComponent(q)}`);
    await page.waitForSelector('[data-testid=query-editor][data-state=ready]', { timeout: 60_000 });
    // the cursor in the second query: Run sends that block; the diagnostic is placed in the whole text
    await page.locator('[data-testid=query-editor] .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Control+Enter');
    const diag = page.getByTestId('diagnostic');
    await diag.waitFor();
    assert.match(await diag.textContent() ?? '', /KQL2001 5:9 unknown column or variable 'DeviceNam'/);
    assert.equal(await diag.getByTestId('diagnostic-span').textContent(), 'DeviceNam');
    const [line, caret] = (await diag.getByTestId('diagnostic-excerpt').textContent() ?? '').split('\n');
    assert.equal(line, '5 | | where DeviceNam == "x"');
    assert.equal(caret!.indexOf('^'), line!.indexOf('DeviceNam'), 'the caret is under the span');
    assert.equal(caret!.trim(), '^^^^^^^^^');
    await page.getByTestId('query-failed').waitFor();
    await page.screenshot({ path: join(SHOTS, 'analyst-02-workbench-caret.png') });
  });
});

test('workbench at 390 px: a result with a 4,000-character command line scrolls inside its grid, not the page, and opens whole from its cell', { skip, timeout: 120_000 }, async () => {
  await withPage(390, async (page, base) => {
    const q = 'print cmd = strcat("powershell.exe -enc ", strrep("QUFB", 1000)), n = 1';
    await page.goto(`${base}/workbench?q=${encodeURIComponent(q)}`);
    await page.waitForSelector('[data-testid=query-editor][data-state=ready]', { timeout: 60_000 });
    await page.getByTestId('run-query').click();
    await page.getByTestId('result-row').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the workbench at 390 px is ${width} px wide`);
    // the cut cell opens (keyboard) to its whole value, wrapped, still inside the page
    await page.getByTestId('cell-open').first().focus();
    await page.keyboard.press('Enter');
    const whole = page.getByTestId('cell-value-text');
    await whole.waitFor();
    assert.equal((await whole.textContent())!.length, 'powershell.exe -enc '.length + 4000);
    assert.equal(await page.getByTestId('cell-open').first().getAttribute('aria-expanded'), 'true');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `with the value open the workbench at 390 px is ${wide} px wide`);
    await page.screenshot({ path: join(SHOTS, 'analyst-03-workbench-390.png') });
    await page.getByTestId('cell-close').click();
    await whole.waitFor({ state: 'detached' });
  });
});

test('the workbench says how to Tab out of the editor (Ctrl+M), and it works', { skip, timeout: 120_000 }, async () => {
  await withPage(1440, async (page, base) => {
    await page.goto(`${base}/workbench`);
    await page.waitForSelector('[data-testid=query-editor][data-state=ready]', { timeout: 60_000 });
    const editor = page.locator('[data-testid=query-editor] textarea');
    assert.match(await editor.getAttribute('aria-label') ?? '', /press Ctrl\+M .*then Tab, to move focus out of the editor/);
    assert.match(await page.getByTestId('editor-hint').textContent() ?? '', /Ctrl\+M/);
    await editor.focus();
    await page.keyboard.press('Tab'); // indents: focus stays
    assert.equal(await editor.evaluate((e) => e === document.activeElement), true);
    await page.keyboard.press('Control+m');
    await page.keyboard.press('Tab');
    assert.equal(await editor.evaluate((e) => e === document.activeElement), false, 'Tab left the editor');
  });
});

test('static site from file:// (built without --base-url): every link on the feed and the seed rule pages is a file that exists; nothing scrolls sideways at 390 px', { skip, timeout: 120_000 }, async () => {
  const page = await browser!.newPage({ viewport: { width: 390, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  try {
    for (const file of ['index.html', 'coverage.html', 'whats-new.html', ...SEEDS.map((id) => `rules/${id}.html`)]) {
      await page.goto(pathToFileURL(join(root, 'site', file)).href);
      const links = await page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      for (const href of links.filter((h) => h.startsWith('file:'))) {
        assert.ok(existsSync(fileURLToPath(href.replace(/[#?].*$/, ''))), `${file} links to ${href}, which is not in the site`);
      }
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `${file} at 390 px is ${width} px wide`);
    }
    assert.match(await page.goto(pathToFileURL(join(root, 'site', 'index.html')).href).then(() => page.locator('body').textContent()) ?? '', /Atom and JSON feeds: build the site with --base-url/);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('the seed rule pages at 390 px: the upstream path wraps, nothing scrolls sideways', { skip, timeout: 120_000 }, async () => {
  await withPage(390, async (page, base) => {
    for (const id of SEEDS) {
      await page.goto(`${base}/rules/${id}`);
      await page.getByTestId('origin').first().waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `/rules/${id} at 390 px is ${width} px wide`);
    }
  });
});

test('every address opens its page on a fresh load and on reload, each with its own tab title; Back from the feed\'s filters', { skip, timeout: 180_000 }, async () => {
  await withPage(1440, async (page, base) => {
    await page.goto(`${base}/findings`);
    const finding = await page.getByTestId('finding-row').first().getAttribute('data-finding-id');
    const pages: [string, string, RegExp][] = [
      ['/?tool=AnyDesk&severity=medium', 'rule-card', /^Detection feed · kqlite$/],
      [`/rules/${SEEDS[0]}`, 'rule-page', /^Remote Management and Montioring tool - Action1 - Network Connection · kqlite$/],
      ['/whats-new?since=2026-01-01T00:00:00Z', 'whats-new', /^What's new · kqlite$/],
      ['/coverage?technique=T1071', 'technique-detail', /^ATT&CK coverage · kqlite$/],
      ['/findings?status=new&page=3', 'finding-row', /^Findings · kqlite$/],
      [`/findings/${finding}`, 'finding-detail', new RegExp(`^Finding ${finding} · kqlite$`)],
      ['/runs/1', 'run-page', /^Hunt run #1 · kqlite$/],
      ['/inventory', 'allow-new', /^RMM inventory · kqlite$/],
      ['/data?table=DeviceInfo', 'data-tables', /^Data · kqlite$/],
      ['/workbench?q=DeviceInfo%20%7C%20count', 'query-editor', /^KQL workbench · kqlite$/],
      ['/no/such/page', 'not-found', /^Page not found · kqlite$/],
    ];
    for (const [path, ready, title] of pages) {
      for (const how of ['load', 'reload']) {
        if (how === 'load') await page.goto(`${base}${path}`);
        else await page.reload();
        await page.getByTestId(ready).first().waitFor();
        await page.waitForFunction((t) => new RegExp(t).test(document.title), title.source);
      }
    }
    // Back undoes one filter at a time, and the facets show what the address says
    await page.goto(`${base}/`);
    await page.getByTestId('rule-count').filter({ hasText: /^\d{3} rules/ }).waitFor();
    await page.locator('[data-testid=facet-source] [data-testid=facet-option][data-value=Azure-Sentinel]').click();
    await page.waitForURL(/\?source=Azure-Sentinel$/);
    await page.getByTestId('rule-count').filter({ hasText: /^3 rules/ }).waitFor();
    await page.locator('[data-testid=facet-tool] [data-testid=facet-option][data-value=Action1]').click();
    await page.waitForURL(/tool=Action1/);
    await page.getByTestId('rule-count').filter({ hasText: /^1 rule/ }).waitFor();
    await page.goBack();
    await page.waitForURL(/\?source=Azure-Sentinel$/);
    await page.getByTestId('rule-count').filter({ hasText: /^3 rules/ }).waitFor();
    assert.equal(await page.locator('[data-testid=facet-tool] [aria-pressed=true]').count(), 0);
    await page.goForward();
    await page.getByTestId('rule-count').filter({ hasText: /^1 rule/ }).waitFor();
    assert.equal(await page.locator('[data-testid=facet-tool] [aria-pressed=true]').getAttribute('data-value'), 'Action1');
  });
});

test('text contrast is WCAG AA (4.5:1, large 3:1) on every page, the coverage matrix with findings included', { skip, timeout: 180_000 }, async () => {
  // the pack's AnyDesk rules, so T1219 (500 rules: the darkest green) is marked with findings
  // (in a child process: muting this process's output inside a test would mute the test reporter too)
  assert.equal((await runCli(['hunt', '--workspace', join(root, 'ws'), '--rules', 'tool:AnyDesk', '--quiet'], { timeoutMs: 120_000 })).code, 2);
  await withPage(1440, async (page, base) => {
    const low: string[] = [];
    const pages: [string, string][] = [
      ['/', 'rule-card'], [`/rules/${SEEDS[0]}`, 'rule-lint'], ['/coverage', 'attack-matrix'], ['/findings?tool=AnyDesk', 'finding-row'],
      ['/inventory', 'inventory-table'], ['/runs', 'run-row'], ['/data', 'data-tables'], ['/whats-new', 'whats-new'],
    ];
    for (const [path, ready] of pages) {
      await page.goto(`${base}${path}`);
      await page.getByTestId(ready).first().waitFor();
      low.push(...(await lowContrastText(page)).map((x) => `${path}: ${x}`));
    }
    await page.goto(`${base}/findings?tool=AnyDesk`);
    await page.getByTestId('finding-open').first().click();
    await page.getByTestId('evidence').waitFor();
    low.push(...(await lowContrastText(page)).map((x) => `finding detail: ${x}`));
    assert.deepEqual(low, []);
  });
});

test('suppress from a finding: Allow… opens the scoped form with its tool and device, the finding shows allowed, Revoke puts it back', { skip, timeout: 120_000 }, async () => {
  // (runs after the contrast test, which hunted the AnyDesk rules)
  await withPage(1440, async (page, base) => {
    await page.goto(`${base}/findings?tool=AnyDesk`);
    await page.getByTestId('finding-open').first().click();
    const detail = page.getByTestId('finding-detail');
    await detail.getByTestId('finding-allow').click();
    const form = page.getByTestId('allow-form');
    assert.equal(await form.getByTestId('allow-target').inputValue(), 'AnyDesk');
    const device = await form.getByTestId('allow-device').inputValue();
    assert.match(await detail.locator('.finding-meta').textContent() ?? '', new RegExp(`device ${device.replace(/[.]/g, '\\.')}`));
    await form.getByTestId('allow-submit').click();
    await form.locator('.field-error').first().waitFor(); // no reason: said, nothing sent
    await form.getByTestId('allow-reason').fill('help desk ticket 4711: vendor support session');
    await form.getByTestId('allow-submit').click();
    await form.waitFor({ state: 'detached' });
    await detail.getByTestId('finding-revoke').waitFor();
    assert.match(await detail.locator('.finding-meta').textContent() ?? '', /allowed by suppression #\d+/);
    await page.getByTestId('findings-count').filter({ hasText: /allowed \(suppressed\)/ }).waitFor();
    page.once('dialog', (d) => { void d.accept(); });
    await detail.getByTestId('finding-revoke').click();
    await detail.getByTestId('finding-allow').waitFor();
    await page.getByTestId('findings-count').filter({ hasNotText: /allowed/ }).waitFor();
  });
});

test('keyboard: Enter on a finding in the list moves focus to its detail above the list; Tab then reaches its triage', { skip, timeout: 120_000 }, async () => {
  await withPage(1440, async (page, base) => {
    await page.goto(`${base}/findings`);
    const link = page.getByTestId('finding-open').nth(2);
    const id = await link.textContent();
    await link.focus();
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid=finding-detail][data-finding-id="${id}"] [data-testid=set-status-new]`).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'finding-detail');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab'); // finding link, copy link, close, first of its actions
    assert.ok(await page.evaluate(() => !!document.activeElement?.closest('[data-testid=finding-detail]')), 'Tab stays in the detail');
  });
});
