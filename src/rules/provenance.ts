/**
 * Where an imported folder came from: its git commit when it is a checkout (read from .git without running
 * git: rule folders are data, and we never execute anything on their behalf) and its license file.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

function ancestors(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    out.push(d);
    if (dirname(d) === d) break;
  }
  return out;
}

/** The commit HEAD points at in the nearest enclosing git checkout, or undefined. */
export function gitCommitOf(dir: string): string | undefined {
  for (const d of ancestors(dir)) {
    let gitDir = join(d, '.git');
    if (!existsSync(gitDir)) continue;
    try {
      if (statSync(gitDir).isFile()) {
        const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(gitDir, 'utf8'));
        if (!m) return undefined;
        gitDir = join(d, m[1]!.trim());
      }
      const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
      if (/^[0-9a-f]{40}$/.test(head)) return head;
      const ref = /^ref:\s*(.+)$/.exec(head)?.[1];
      if (!ref) return undefined;
      const common = existsSync(join(gitDir, 'commondir')) ? join(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim()) : gitDir;
      for (const g of [gitDir, common]) {
        const loose = join(g, ref);
        if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
        const packed = join(g, 'packed-refs');
        if (existsSync(packed)) {
          const line = readFileSync(packed, 'utf8').split('\n').find((l) => l.endsWith(' ' + ref));
          if (line) return line.split(' ')[0];
        }
      }
    } catch {
      return undefined;
    }
    return undefined;
  }
  return undefined;
}

/** The license of the folder: "LICENSE (MIT License)" from the nearest LICENSE/COPYING file's first line. */
export function licenseOf(dir: string, stopAt?: string): string | undefined {
  for (const d of ancestors(dir)) {
    for (const name of ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'COPYING']) {
      const f = join(d, name);
      if (existsSync(f)) {
        const text = readFileSync(f, 'utf8');
        // a file that lists licences (SigmaHQ's "# Licenses" puts its rules under the DRL) names the rules' one
        const named = /Detection Rule License \(DRL\) [\d.]+/.exec(text.slice(0, 4096))?.[0];
        const first = named ?? text.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
        return `${name}${first ? ` (${first.slice(0, 80)})` : ''}`;
      }
    }
    if (stopAt && d === stopAt) break;
  }
  return undefined;
}
