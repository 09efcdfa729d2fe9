// The web app over Windows event logs and Sigma rules, in headless Chromium: SigmaHQ regression EVTX ingested,
// Sigma rules imported (one for AWS, which cannot run here), hunted. The feed filters by language and shows the
// not-runnable rule with its reason; a Sigma rule's page shows the converted KQL, the original YAML, author and
// licence, references and false positives, and its findings; findings and coverage work as for KQL rules.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkip, launchChromium, SHOTS } from '../helpers/browser.js';
import { mainQuietly } from '../helpers/quiet-main.js';
import { findTechnique } from '../../src/rules/attack.js';
import { buildServer } from '../../src/server/app.js';
import { regressionCases, SIGMA } from '../helpers/sigma-regression.js';

const skip = browserSkip;
const AWS = `title: AWS Root Credentials
id: 8ad1600d-e9dc-4251-b0ee-a65268f29add
status: test
description: Detects AWS root account usage
author: vitaliy0x1
logsource:
  product: aws
  service: cloudtrail
detection:
  selection:
    userIdentity.type: Root
  condition: selection
level: medium
`;
let root: string;
let browser: Browser | undefined;
// a process_creation case whose rule names an ATT&CK technique kqlite knows: its page, findings and coverage are checked
const knownTechnique = (f: string) => [...readFileSync(f, 'utf8').matchAll(/attack\.(t\d{4})\b/g)].map((m) => m[1]!.toUpperCase()).find((t) => findTechnique(t));
const CASE = regressionCases().find((c) => /process_creation/.test(c.evtx) && knownTechnique(c.ruleFile))!;
const CASE_TITLE = /^title: (.+)$/m.exec(readFileSync(CASE.ruleFile, 'utf8'))![1]!.trim();
const CASE_TECHNIQUE = knownTechnique(CASE.ruleFile)!;

before(async () => {
  if (skip) return;
  root = mkdtempSync(join(tmpdir(), 'kqlite-web-sigma-'));
  const build = spawnSync(process.execPath, ['scripts/build-web.mjs', '--outdir', join(root, 'web')], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const cases = regressionCases().filter((c) => /process_creation|registry_set/.test(c.evtx)).slice(0, 30);
  if (!cases.includes(CASE)) cases.push(CASE);
  const rules = join(root, 'sigma');
  for (const c of cases) {
    const to = join(rules, relative(SIGMA, c.ruleFile));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(c.ruleFile, to);
  }
  copyFileSync(join(SIGMA, 'LICENSE'), join(rules, 'LICENSE'));
  writeFileSync(join(rules, 'aws_root_credentials.yml'), AWS);
  const ws = join(root, 'ws');
  assert.equal(await mainQuietly(['ingest', ...cases.map((c) => c.evtx), '--workspace', ws, '--quiet']), 0);
  assert.equal(await mainQuietly(['rules', 'import', rules, '--workspace', ws]), 0);
  assert.ok([0, 2].includes(await mainQuietly(['hunt', '--workspace', ws, '--rules', 'language:sigma'])));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

test('Sigma rules and Windows-log findings in the feed, the rule page, findings and coverage', { skip, timeout: 180_000 }, async () => {
  const app = await buildServer({ workspaceDir: join(root, 'ws'), webRoot: join(root, 'web'), engineWorkers: 1 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const page = await browser!.newPage({ viewport: { width: 1366, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.setDefaultTimeout(30_000);
  mkdirSync(SHOTS, { recursive: true });
  try {
    await page.goto(`${base}/`);
    await page.getByTestId('facet-language').locator('[data-testid=facet-option][data-value=Sigma]').click();
    await page.waitForURL(/language=Sigma/);
    await page.getByTestId('rule-card').first().waitFor();
    for (const lang of await page.getByTestId('rule-list').locator('.badge-lang').allTextContents()) assert.equal(lang, 'Sigma');
    const aws = page.locator('[data-testid=rule-card]', { has: page.getByText('AWS Root Credentials') });
    assert.match(await aws.getByTestId('not-runnable').getAttribute('title') ?? '', /logsource \(product aws, service cloudtrail\) is not a Windows event log/);
    await page.screenshot({ path: join(SHOTS, 'sigma-01-feed.png') });

    await page.getByTestId('feed-search').fill(CASE_TITLE);
    await page.locator('[data-testid=rule-card]', { has: page.getByText(CASE_TITLE, { exact: true }) }).first().getByTestId('rule-link').click();
    await page.getByTestId('rule-page').waitFor();
    for (const title of ['Author and Licence', 'Hunt Hypothesis', 'KQL Query (converted from the Sigma rule)', 'Sigma Rule (original YAML)', 'MITRE ATT&CK Context', 'References', 'False Positive Guidance']) {
      await page.getByRole('heading', { name: title, exact: true }).waitFor();
    }
    assert.match(await page.getByTestId('rule-author').textContent() ?? '', /\w/);
    assert.match(await page.getByTestId('rule-license').textContent() ?? '', /Detection Rule License \(DRL\) 1\.1/);
    assert.match(await page.getByTestId('rule-logsource').textContent() ?? '', /windows\/process_creation → DeviceProcessEvents/);
    assert.match(await page.getByTestId('rule-yaml').textContent() ?? '', /^title: .*\n[\s\S]*detection:/);
    assert.match(await page.getByTestId('rule-query').textContent() ?? '', /^DeviceProcessEvents\n\| where /);
    const findings = page.getByTestId('rule-findings-table').getByTestId('finding-row');
    await findings.first().waitFor();
    await page.screenshot({ path: join(SHOTS, 'sigma-02-rule-page.png'), fullPage: true });

    await findings.first().getByTestId('finding-open').click();
    await page.getByTestId('finding-detail').getByTestId('evidence-row').first().waitFor();
    // the finding's evidence keeps where each row came from: the EVTX file and the event's record id
    const detail = await page.getByTestId('finding-detail').textContent() ?? '';
    assert.match(detail, /SourceFile/);
    assert.match(detail, /\.evtx/);
    await page.screenshot({ path: join(SHOTS, 'sigma-03-finding.png'), fullPage: true });

    await page.getByTestId('nav-coverage').click();
    const cell = page.locator(`[data-testid=technique-cell][data-technique=${CASE_TECHNIQUE}]`).first(); // under each of its tactics
    await cell.waitFor();
    assert.equal(await cell.getAttribute('data-covered'), 'true');
    assert.ok(Number(await cell.getAttribute('data-findings')) > 0, 'the Sigma rule\'s findings count for its technique');
    await page.screenshot({ path: join(SHOTS, 'sigma-04-coverage.png') });
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await app.close();
  }
});
