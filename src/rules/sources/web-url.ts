/**
 * The web address of a source's file at a commit: GitHub (`/blob/<commit>/<path>`), GitLab (`/-/blob/`),
 * Bitbucket (`/src/`), or the source's `--web-url` template. Local paths and other hosts get none: kqlite
 * never renders a link a browser cannot open (no file:// in an http page).
 */
const encodePath = (p: string) => p.split('/').map(encodeURIComponent).join('/');

export function repoWebBase(url: string): { host: 'github' | 'gitlab' | 'bitbucket'; base: string } | undefined {
  const m = /^(?:https?:\/\/|ssh:\/\/git@|git@|git:\/\/)(github\.com|gitlab\.com|bitbucket\.org)[/:]([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/i.exec(url.trim());
  if (!m) return undefined;
  const host = m[1]!.toLowerCase().startsWith('github') ? 'github' : m[1]!.toLowerCase().startsWith('gitlab') ? 'gitlab' : 'bitbucket';
  return { host, base: `https://${m[1]!.toLowerCase()}/${m[2]}/${m[3]}` };
}

export function fileWebUrl(src: { url: string; webUrl?: string }, commit: string, path: string): string | undefined {
  if (src.webUrl) return src.webUrl.replace(/\{commit\}/g, encodeURIComponent(commit)).replace(/\{path\}/g, encodePath(path));
  const r = repoWebBase(src.url);
  if (!r) return undefined;
  const mid = r.host === 'github' ? 'blob' : r.host === 'gitlab' ? '-/blob' : 'src';
  return `${r.base}/${mid}/${commit}/${encodePath(path)}`;
}
