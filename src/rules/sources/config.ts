/**
 * The workspace's rule sources (`sources/sources.json`): git repositories (a URL, a local path or a bare
 * repository) kqlite fetches rule content from, with an optional ref, include/exclude globs and a web URL
 * template for links to the upstream files. Names are plain words, so they are safe as folder names.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isWindowsDeviceName, WINDOWS_DEVICE_NAMES } from '../../common/file-names.js';
import { insideWorkspace } from '../../common/workspace-dir.js';

export interface SourceConfig {
  name: string;
  /** What the user gave: a URL (https, ssh, git, file) or a path to a repository. */
  url: string;
  /** Branch, tag or commit; default: the repository's HEAD. */
  ref?: string;
  include: string[];
  exclude: string[];
  /** Template of a file's web address: `{commit}` and `{path}` are filled in (http/https only). */
  webUrl?: string;
  addedAt: string;
}

export const SOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function sourcesDir(workspaceDir: string): string {
  return insideWorkspace(workspaceDir, 'sources');
}

/** Why a name cannot be a source's (its folder's) name; undefined when it can. */
export function sourceNameProblem(name: string): string | undefined {
  if (!SOURCE_NAME.test(name)) return `'${name}' is not a source name (letters, digits, '.', '_', '-')`;
  if (isWindowsDeviceName(name)) return `'${name}' cannot be a source name: Windows reserves it for a device (${WINDOWS_DEVICE_NAMES})`;
  return undefined;
}

export function sourceDir(workspaceDir: string, name: string): string {
  const problem = sourceNameProblem(name);
  if (problem) throw new Error(problem);
  return insideWorkspace(workspaceDir, 'sources', name);
}

export function readSources(workspaceDir: string): SourceConfig[] {
  const f = insideWorkspace(workspaceDir, 'sources', 'sources.json');
  if (!existsSync(f)) return [];
  const data = JSON.parse(readFileSync(f, 'utf8')) as { sources?: SourceConfig[] };
  if (!Array.isArray(data.sources)) throw new Error(`${f}: not a sources file (no "sources" list)`);
  return data.sources;
}

export function writeSources(workspaceDir: string, sources: SourceConfig[]): void {
  mkdirSync(sourcesDir(workspaceDir), { recursive: true });
  const f = insideWorkspace(workspaceDir, 'sources', 'sources.json');
  writeFileSync(f + '.tmp', JSON.stringify({ sources }, null, 1));
  renameSync(f + '.tmp', f);
}

/** The default name of a source: the repository's last path segment without `.git`. */
export function defaultSourceName(url: string): string {
  const last = url.replace(/[\\/]+$/, '').split(/[\\/:]/).pop() ?? 'source';
  const name = last.replace(/\.git$/, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return name.slice(0, 64) || 'source';
}

/** Shell-style globs on '/'-separated paths: `*` within a segment, `**` across segments, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') { i++; re += '(?:.*/)?'; } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // a pattern without a slash matches at any depth; a folder pattern takes what is under it
  return new RegExp(`^${glob.includes('/') ? '' : '(?:.*/)?'}${re}(?:/.*)?$`, 'i');
}

export function pathFilter(include: readonly string[], exclude: readonly string[]): (path: string) => boolean {
  const inc = include.map(globToRegExp);
  const exc = exclude.map(globToRegExp);
  return (p) => (!inc.length || inc.some((r) => r.test(p))) && !exc.some((r) => r.test(p));
}

/** Checks what `sources add` was given before anything is stored or run. */
export function checkSourceInput(x: { url: string; ref?: string; webUrl?: string; name: string }): void {
  if (sourceNameProblem(x.name)) throw new Error(`${sourceNameProblem(x.name)}; give --name`);
  if (!x.url.trim() || x.url.startsWith('-') || /[\0\n\r]/.test(x.url)) throw new Error(`'${x.url}' is not a repository URL or path`);
  if (/^[a-z][a-z0-9+.-]*::/i.test(x.url) || /^ext::/i.test(x.url)) throw new Error(`'${x.url}': only https, http, ssh, git and file repositories are fetched`);
  if (x.ref !== undefined && (!x.ref || x.ref.startsWith('-') || /[\0\s~^:?*[\\]|\.\./.test(x.ref))) throw new Error(`'${x.ref}' is not a branch, tag or commit`);
  if (x.webUrl !== undefined) {
    let u: URL;
    try { u = new URL(x.webUrl.replace(/\{(commit|path)\}/g, 'x')); } catch { throw new Error(`--web-url '${x.webUrl}' is not a URL`); }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`--web-url must be an http or https address, not '${u.protocol}'`);
    if (!x.webUrl.includes('{path}')) throw new Error("--web-url needs '{path}' (and usually '{commit}') where the file's path goes");
  }
}
