// The rule page's Lint section in headless Chromium: a rule with known lint findings shows each (code linked
// to docs/LINT.md, severity, message, its line with the span marked and a caret, what the code means); a clean
// rule shows none; a code turned off by a `# kqlite-disable:` comment or by the workspace's config.json is not
// shown, and the page says it is off and by what; a change of config.json shows on the next load; an unknown
// code there is said on the page. At 390 px nothing scrolls sideways.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkip, launchChromium, SHOTS } from '../helpers/browser.js';
import { mainQuietly } from '../helpers/quiet-main.js';
import { buildServer } from '../../src/server/app.js';
import { LINT_RULES, writeLintConfig, writeLintRules } from '../helpers/lint-rules.js';

const skip = browserSkip;
let root: string;
let browser: Browser | undefined;

before(async () => {
  if (skip) return;
  root = mkdtempSync(join(tmpdir(), 'kqlite-web-lint-'));
  const build = spawnSync(process.execPath, ['scripts/build-web.mjs', '--outdir', join(root, 'web')], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  writeLintRules(join(root, 'rules'));
  assert.equal(await mainQuietly(['rules', 'import', join(root, 'rules'), '--workspace', join(root, 'ws')]), 0);
  writeLintConfig(join(root, 'ws'), ['LINT040']);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function openRule(page: Page, base: string, id: string) {
  await page.goto(`${base}/rules/${id}`);
  const lint = page.getByTestId('rule-lint');
  await lint.waitFor();
  return lint;
}

test('rule page: lint findings with code, severity, message, marked span and explanation; clean and turned-off codes', { skip, timeout: 120_000 }, async () => {
  const app = await buildServer({ workspaceDir: join(root, 'ws'), webRoot: join(root, 'web'), engineWorkers: 1 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const page = await browser!.newPage({ viewport: { width: 1440, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.setDefaultTimeout(30_000);
  mkdirSync(SHOTS, { recursive: true });
  try {
    // a rule with two findings: each where `kqlite check` puts it, the span marked, the code explained
    let lint = await openRule(page, base, LINT_RULES.dirty.id);
    await page.getByRole('heading', { name: 'Lint', exact: true }).waitFor();
    const findings = lint.getByTestId('lint-finding');
    assert.deepEqual(await findings.evaluateAll((ls) => ls.map((l) => [l.getAttribute('data-code'), l.getAttribute('data-severity')])), [['LINT010', 'warning'], ['LINT011', 'warning']]);
    assert.equal(await lint.getByTestId('lint-tally').textContent(), '2 warnings');
    const first = findings.first();
    assert.equal(await first.getByTestId('lint-where').textContent(), 'rule file line 16, col 22');
    assert.match(await first.getByTestId('lint-message').textContent() ?? '', /write 'has'/);
    assert.equal(await first.getByTestId('lint-span').textContent(), 'contains');
    assert.equal(await findings.nth(1).getByTestId('lint-span').textContent(), '==');
    const excerpt = await first.getByTestId('lint-excerpt').textContent() ?? '';
    const [line, caret] = excerpt.split('\n');
    assert.equal(line, '16 |   | where FolderPath contains @"\\AppData\\"');
    assert.equal(caret!.indexOf('^'), line!.indexOf('contains'), 'the caret is under the span');
    assert.equal(caret!.trim(), '^'.repeat('contains'.length));
    const code = first.getByTestId('lint-code');
    assert.equal(await code.textContent(), 'LINT010');
    assert.match(await code.getAttribute('href') ?? '', /docs\/LINT\.md#lint010$/);
    assert.equal(await code.getAttribute('rel'), 'noopener noreferrer');
    await first.getByTestId('lint-explain').locator('summary').click();
    assert.match(await first.getByTestId('lint-explain').textContent() ?? '', /`contains` whose needle makes `has` give the same rows[\s\S]*# kqlite-disable: LINT010/);
    assert.equal(await lint.getByTestId('lint-clean').count(), 0);
    await page.screenshot({ path: join(SHOTS, 'lint-01-findings-1440.png'), fullPage: true });

    // on a phone: nothing scrolls sideways; the excerpt scrolls inside itself
    await page.setViewportSize({ width: 390, height: 900 });
    await openRule(page, base, LINT_RULES.dirty.id);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the rule page at 390 px is ${width} px wide`);
    for (const box of await page.getByTestId('lint-finding').evaluateAll((ls) => ls.map((l) => l.getBoundingClientRect().toJSON() as DOMRect))) {
      assert.ok(box.left >= 0 && box.right <= 390, `a lint finding at ${box.left}-${box.right}`);
    }
    await page.getByTestId('rule-lint').screenshot({ path: join(SHOTS, 'lint-02-findings-390.png') });
    await page.setViewportSize({ width: 1440, height: 900 });

    // a clean rule: no findings, and says so
    lint = await openRule(page, base, LINT_RULES.clean.id);
    await lint.getByTestId('lint-clean').waitFor();
    assert.equal(await lint.getByTestId('lint-finding').count(), 0);
    assert.equal(await lint.getByTestId('lint-tally').textContent(), 'clean');
    // (config.json's codes are off for every rule of the workspace, and the page says so)
    assert.deepEqual(await lint.getByTestId('lint-disabled-code').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-code'))), ['LINT040']);

    // LINT011 turned off by the rule's own comment: only LINT010 left, and the page says LINT011 is off and why
    lint = await openRule(page, base, LINT_RULES.commentOff.id);
    await lint.getByTestId('lint-finding').first().waitFor();
    assert.deepEqual(await lint.getByTestId('lint-finding').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-code'))), ['LINT010']);
    assert.match(await lint.getByTestId('lint-disabled').textContent() ?? '', /LINT011 by a kqlite-disable comment in the rule/);

    // LINT040 turned off by config.json: the rule's only finding is not shown
    lint = await openRule(page, base, LINT_RULES.configOff.id);
    await lint.getByTestId('lint-clean').waitFor();
    assert.equal(await lint.getByTestId('lint-finding').count(), 0);
    assert.match(await lint.getByTestId('lint-disabled').textContent() ?? '', /LINT040 by the workspace's config\.json/);
    await page.screenshot({ path: join(SHOTS, 'lint-03-config-off.png'), fullPage: true });

    // config.json changed while the server runs: the next load has it; an unknown code is said, not ignored
    writeLintConfig(join(root, 'ws'), ['LINT04O']);
    lint = await openRule(page, base, LINT_RULES.configOff.id);
    await lint.getByTestId('lint-finding').first().waitFor();
    assert.deepEqual(await lint.getByTestId('lint-finding').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-code'))), ['LINT040']);
    assert.match(await lint.getByTestId('lint-config-problem').textContent() ?? '', /config\.json: lint\.disable: 'LINT04O' is not a lint code/);
    assert.deepEqual(problems, []);
  } finally {
    writeLintConfig(join(root, 'ws'), ['LINT040']);
    await page.close();
    await app.close();
  }
});
