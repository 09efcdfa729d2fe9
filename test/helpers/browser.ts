// The browser tests' Chromium: Debian's (which .ci/run installs) or CHROMIUM_PATH. In CI a missing browser
// is an error; elsewhere the browser tests skip, saying why.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const missing = existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (install Debian's chromium or set CHROMIUM_PATH)`;
if (missing && process.env['CI']) throw new Error(`browser tests cannot run in CI: ${missing}`);

/** `skip` for node:test: the reason there is no browser, or false. */
export const browserSkip: string | false = missing ?? false;

/** Where the browser tests leave their screenshots. */
export const SHOTS = join('test-artifacts', 'screenshots');

/** A headless Chromium with nothing running in the background; `extraArgs` adds flags (e.g. file access). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs] });
}
