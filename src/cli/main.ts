/**
 * The `kqlite` command line: dispatches a sub-command to its module in this folder.
 * Every command returns an exit code; nothing here calls process.exit, so tests can run commands in-process.
 */
export type Command = (args: string[]) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {};

/** Registers a sub-command (each command module lives in src/cli/<name>.ts). */
export function register(name: string, summary: string, load: () => Promise<Command>): void {
  commands[name] = { summary, load };
}

export function usage(): string {
  const lines = ['usage: kqlite <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(commands).sort()) lines.push(`  ${name.padEnd(12)} ${c.summary}`);
  lines.push('', "run 'kqlite <command> --help' for a command's options");
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  await import('./commands.js');
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? 1 : 0;
  }
  if (name === '--version') {
    process.stdout.write('kqlite 0.1.0\n');
    return 0;
  }
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`kqlite: unknown command '${name}'\n${usage()}\n`);
    return 1;
  }
  return (await cmd.load())(rest);
}
