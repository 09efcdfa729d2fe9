/**
 * The system `git`, always run with an argument array (never a shell), hooks disabled, no prompts, no
 * user or system configuration, and only the https/http/ssh/git/file transports. A source is kept as a
 * bare repository holding the last fetched commit (shallow: depth 1); files are read from git's object
 * store (`ls-tree`, `cat-file --batch`), never checked out, so nothing in a repository is ever written to
 * disk as a file, followed as a symlink, or run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';

const SAFE_CONFIG = [
  '-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '-c', 'credential.helper=', '-c', 'protocol.allow=never',
  '-c', 'protocol.https.allow=always', '-c', 'protocol.http.allow=always', '-c', 'protocol.ssh.allow=always',
  '-c', 'protocol.git.allow=always', '-c', 'protocol.file.allow=always', '-c', 'gc.auto=0', '-c', 'advice.detachedHead=false',
];

export class GitError extends Error {}

function run(args: string[], opts: { input?: string; cwd?: string } = {}): Buffer {
  const r = spawnSync('git', [...SAFE_CONFIG, ...args], {
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    input: opts.input ?? '',
    maxBuffer: 1024 * 1024 * 1024,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C', GIT_ASKPASS: 'echo', SSH_ASKPASS: 'echo' },
  });
  if (r.error) throw new GitError((r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed (kqlite syncs sources with the system git)' : `git failed to start: ${r.error.message}`);
  if (r.status !== 0) {
    const msg = r.stderr.toString('utf8').split('\n').map((l) => l.trim()).filter((l) => l && !/^hint:/.test(l)).slice(0, 3).join('; ');
    throw new GitError(`git ${args.find((a) => !a.startsWith('-')) ?? ''} failed: ${msg || `exit ${r.status}`}`);
  }
  return r.stdout;
}

const git = (repo: string, args: string[], input?: string) => run(['--git-dir', repo, ...args], input === undefined ? {} : { input });

/** A git command in a work tree (the user's own rules repository, e.g. `kqlite hunt --compare <ref>`), same safeguards. */
export function gitInWorkTree(dir: string, args: string[]): Buffer {
  return run(args, { cwd: dir });
}

/**
 * Fetches `ref` (default HEAD) of `url` into the bare repository `repo` (created if absent), shallow.
 * Returns the fetched commit. A commit id that the server will not serve shallowly is fetched in full.
 */
export function fetchRef(repo: string, url: string, ref: string | undefined): string {
  if (!existsSync(repo)) {
    mkdirSync(repo, { recursive: true });
    run(['init', '--bare', '--quiet', repo]);
  }
  const want = ref ?? 'HEAD';
  try {
    git(repo, ['fetch', '--quiet', '--no-tags', '--no-recurse-submodules', '--depth', '1', '--force', url, want]);
  } catch (e) {
    if (!ref || !/^[0-9a-f]{7,40}$/i.test(ref)) throw e;
    git(repo, ['fetch', '--quiet', '--no-tags', '--no-recurse-submodules', '--force', url, '+refs/heads/*:refs/kqlite-all/*', '+refs/tags/*:refs/kqlite-tags/*']);
    const commit = git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).toString().trim();
    git(repo, ['update-ref', 'refs/kqlite/synced', commit]);
    return commit;
  }
  const commit = git(repo, ['rev-parse', '--verify', 'FETCH_HEAD^{commit}']).toString().trim();
  // a ref keeps the commit's objects when later fetches move FETCH_HEAD
  git(repo, ['update-ref', 'refs/kqlite/synced', commit]);
  return commit;
}

export interface TreeEntry { mode: string; type: string; blob: string; path: string; /** bytes */ size: number }

/**
 * Every file of the commit's tree with its size (blobs only: symlinks and submodules are left out, so a
 * link to /etc/passwd or to another file of the workspace is never followed: it is not even listed).
 */
export function listFiles(repo: string, commit: string): TreeEntry[] {
  const out = git(repo, ['ls-tree', '-r', '-l', '-z', '--full-tree', commit]).toString('utf8');
  const entries: TreeEntry[] = [];
  for (const rec of out.split('\0')) {
    const tab = rec.indexOf('\t');
    if (tab < 0) continue;
    // "<mode> <type> <object> <size padded with spaces>"
    const [mode, type, blob, size] = rec.slice(0, tab).split(/ +/) as [string, string, string, string];
    if (type !== 'blob' || mode === '120000') continue;
    entries.push({ mode, type, blob, path: rec.slice(tab + 1), size: Number(size) });
  }
  return entries;
}

/** Bytes of blobs one `cat-file --batch` reads at most (git's output is held whole until it ends). */
const BATCH_BYTES = 64 * 1024 * 1024;

/** `readBlobs` for files whose sizes are known, in batches of at most BATCH_BYTES: no one buffer holds them all. */
export function readBlobsBatched(repo: string, files: readonly { blob: string; size: number }[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let batch: string[] = [];
  let bytes = 0;
  const flush = () => {
    for (const [k, v] of readBlobs(repo, batch)) out.set(k, v);
    batch = [];
    bytes = 0;
  };
  for (const f of files) {
    if (batch.length && bytes + f.size > BATCH_BYTES) flush();
    batch.push(f.blob);
    bytes += f.size;
  }
  if (batch.length) flush();
  return out;
}

/** The contents of blobs, by id (one `cat-file --batch` for all). */
export function readBlobs(repo: string, blobs: readonly string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const unique = [...new Set(blobs)];
  if (!unique.length) return out;
  const buf = git(repo, ['cat-file', '--batch'], unique.join('\n') + '\n');
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(10, pos);
    if (nl < 0) break;
    const [id, type, size] = buf.subarray(pos, nl).toString('latin1').split(' ');
    pos = nl + 1;
    if (type === 'missing' || size === undefined) continue;
    const n = Number(size);
    out.set(id!, buf.subarray(pos, pos + n));
    pos += n + 1;
  }
  return out;
}

/** The commit's committer date (ISO 8601). */
export function commitDate(repo: string, commit: string): string {
  return git(repo, ['log', '-1', '--format=%cI', commit]).toString().trim();
}
