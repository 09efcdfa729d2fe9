/**
 * The `kqlite` command line: dispatches a sub-command to its module in this folder.
 * Every command returns an exit code; nothing here calls process.exit, so tests can run commands in-process.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from './commands.js';
import { reportError } from './shared.js';

export const VERSION = '0.1.0';

/**
 * A reader that stops early (`kqlite rules list | head`) closes our stdout: that is the reader's choice, not
 * an error, so the process ends quietly instead of printing an EPIPE stack. Called by the launchers.
 */
export function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(process.exitCode ?? 0);
    });
  }
}

/**
 * What escapes every command (an error thrown in a callback, a rejected promise nobody awaited) still ends
 * as one line and exit code 1, never a JavaScript stack (that only with KQLITE_DEBUG). Called by the launchers.
 */
export function endCleanlyOnCrash(): void {
  const crash = (e: unknown) => {
    reportError('kqlite', e);
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}

export function usage(): string {
  const lines = ['usage: kqlite <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push('', "run 'kqlite <command> --help' for a command's options");
  return lines.join('\n');
}

/** A command's module: `run(args)` gives the exit code. */
export interface CommandModule {
  run?: (args: string[]) => Promise<number>;
}

/**
 * Runs the command `argv` names. `bundled` is the module of the command the caller already holds (the built
 * CLI's file for a command holds main and that command, scripts/build-cli.mjs); any other is imported from
 * this folder.
 */
export async function main(argv: string[], bundled?: { module: string; command: CommandModule }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`kqlite ${VERSION}\n`);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`kqlite: unknown command '${name}'\n\n${usage()}\n`);
    return 1;
  }
  // Works from both dist/cli/*.js (installed CLI) and src/cli/*.ts (tests run through tsx).
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const url = new URL(`./${entry.module}${ext}`, import.meta.url);
  if (bundled?.module !== entry.module && !existsSync(fileURLToPath(url))) {
    process.stderr.write(`kqlite: command '${name}' is not available in this build\n`);
    return 1;
  }
  try {
    const mod = bundled?.module === entry.module ? bundled.command : ((await import(url.href)) as CommandModule);
    if (typeof mod.run !== 'function') throw new TypeError(`src/cli/${entry.module} does not export run()`);
    return await mod.run(rest);
  } catch (e) {
    // commands report their own errors; this catches what one let through
    reportError(`kqlite ${name}`, e);
    return 1;
  }
}
