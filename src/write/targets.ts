// Where a run may write: every output path is compared with every input (the dataset, a --safety
// file, the shards of a plan, the outputs a merge verifies) and with the other outputs by its real
// location, found by resolving each existing ancestor (symlinks, `..` after a missing directory) and
// by device and inode, so no spelling of a path can make safemix write over a file it reads. The
// check runs before any write (checkTargets) and again just before each rename (recheckTarget, called
// by AtomicFile), so a symbolic link planted in the output directory during a run cannot steer the
// final rename onto an input. Targets that are not regular files are refused, and so is a target in
// a directory that other users may write to (unless allowed), and the mode a new file gets is decided
// here (the replaced target's, else the input's, less the umask).
import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, parse, sep } from 'node:path';
import { SafemixError } from '../errors.js';

/**
 * The location a path names once every existing ancestor is resolved. Components after the first
 * missing one are applied lexically, which is what they will mean once `mkdir -p` has created them.
 */
export function canonicalPath(path: string): string {
  const absolute = isAbsolute(path) ? path : join(process.cwd(), path);
  const root = parse(absolute).root;
  let current = realpathSync(root);
  let exists = true;
  for (const part of absolute.slice(root.length).split(sep)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      current = dirname(current);
      continue;
    }
    const next = join(current, part);
    if (exists) {
      try {
        current = realpathSync(next);
        continue;
      } catch {
        exists = false;
      }
    }
    current = next;
  }
  return current;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

interface TargetRoles {
  /** Files the run reads: the dataset and any --safety file (`-` is skipped). */
  inputs: { path: string; role: string }[];
  /** Files the run writes; `-` is standard output where `stdout` says so, and refused elsewhere. */
  outputs: { path: string; role: string; flag: string; stdout?: boolean }[];
  /** Write into directories that other users may write to (`--allow-shared-dir`). */
  allowSharedDir?: boolean;
}

/** A file a run must never write over, as found before the run wrote anything. */
export interface ProtectedFile {
  path: string;
  role: string;
  canonical: string;
  dev?: number;
  ino?: number;
}

/** What checkTargets decided: each output's permission bits, and the files no rename may replace. */
export interface CheckedTargets {
  modes: Map<string, number>;
  protect: ProtectedFile[];
  allowSharedDir: boolean;
  /** The AtomicFile options of one output: its mode and the files it must not replace. */
  fileOptions(path: string): { mode: number | undefined; protect: ProtectedFile[]; allowSharedDir: boolean };
}

/**
 * Whether a run may write into a directory other users may write to: the option when given, else
 * SAFEMIX_ALLOW_SHARED_DIR=1 (how `safemix worker --allow-shared-dir` passes it to its tasks).
 */
export function sharedDirAllowed(option: boolean | undefined): boolean {
  return option ?? process.env.SAFEMIX_ALLOW_SHARED_DIR === '1';
}

/** The nearest existing directory at or above a path's parent. */
function existingParent(canonical: string): string {
  for (let d = dirname(canonical); ; d = dirname(d)) {
    const st = statOrUndefined(d);
    if (st?.isDirectory()) return d;
    if (dirname(d) === d) return d;
  }
}

/**
 * Refuses a target whose directory other users may write to (mode o+w, as /tmp): anyone there can
 * plant a link under the output's name while the run works. The owner's and group's bits are the
 * user's own choice.
 */
function assertPrivateDir(canonical: string, display: string, flag: string): void {
  const dir = existingParent(canonical);
  const st = statOrUndefined(dir);
  if (st && (st.mode & 0o002) !== 0)
    throw new SafemixError(
      'output_shared_dir',
      `${flag}: the directory ${dir} is writable by other users, who could put a link under the output's name while safemix runs; nothing was written`,
      {
        position: { file: display },
        hint: 'write into a directory only you can write to, or pass --allow-shared-dir if you trust every user of that directory',
      },
    );
}

/**
 * Refuses any output that is an input, another output, a directory, or a device, FIFO or socket,
 * or that sits in a directory other users may write to (unless allowed). Returns, for each output,
 * the permission bits its new file gets, and the files no later rename may replace.
 */
export function checkTargets(roles: TargetRoles): CheckedTargets {
  const seen: { canonical: string; stat?: Stats; role: string; path: string }[] = [];
  for (const input of roles.inputs) {
    if (input.path === '-') continue;
    seen.push({ canonical: canonicalPath(input.path), stat: statOrUndefined(input.path), role: input.role, path: input.path });
  }
  const firstInputMode = seen.find((s) => s.stat)?.stat?.mode;
  const modes = new Map<string, number>();
  for (const out of roles.outputs) {
    if (out.path === '-') {
      if (out.stdout) continue;
      throw stdoutRefused(`${out.flag} -`, out.role);
    }
    const bytes = Buffer.byteLength(basename(out.path));
    if (bytes > 255)
      throw new SafemixError('usage', `${out.flag} ${out.path}: the ${out.role}'s file name is ${bytes} bytes, more than the 255 a file name may have`, {
        position: { file: out.path },
        hint:
          out.role === 'manifest'
            ? 'give a shorter --manifest PATH (its default is the output name with .manifest.json added), or --no-manifest'
            : 'give a shorter name',
      });
    const canonical = canonicalPath(out.path);
    const stat = statOrUndefined(canonical);
    for (const s of seen) {
      const same = s.canonical === canonical || (stat && s.stat && stat.dev === s.stat.dev && stat.ino === s.stat.ino);
      if (!same) continue;
      const isInput = roles.inputs.some((i) => i.role === s.role);
      throw new SafemixError('input_is_output', `${out.flag} ${out.path} is the same file as the ${s.role} (${s.path})`, {
        position: { file: out.path },
        hint: isInput
          ? `write to another path with ${out.flag}; safemix never overwrites a file it reads`
          : `give the ${out.role} and the ${s.role} different paths`,
      });
    }
    if (stat && !stat.isFile()) {
      const what = stat.isDirectory()
        ? 'a directory'
        : stat.isFIFO()
          ? 'a FIFO'
          : stat.isCharacterDevice()
            ? 'a character device'
            : stat.isBlockDevice()
              ? 'a block device'
              : stat.isSocket()
                ? 'a socket'
                : 'not a regular file';
      throw new SafemixError('output_not_regular', `${out.flag} ${out.path} is ${what}, not a regular file`, {
        position: { file: out.path },
        hint: stat.isDirectory()
          ? `name a file inside it, e.g. ${out.flag} ${join(out.path, 'mixed.jsonl')}`
          : `name a regular file; to stream the result use ${out.flag} -`,
      });
    }
    // a symlinked target is replaced where it points, never turned into a file beside the link
    if (!stat) {
      try {
        if (lstatSync(out.path).isSymbolicLink())
          throw new SafemixError('output_not_regular', `${out.flag} ${out.path} is a dangling symbolic link`, {
            position: { file: out.path },
            hint: 'remove the link or name another path',
          });
      } catch (e) {
        if (e instanceof SafemixError) throw e;
      }
    }
    if (!sharedDirAllowed(roles.allowSharedDir)) assertPrivateDir(canonical, out.path, out.flag);
    // a replaced file keeps its mode; a new one takes the input's, less what the umask forbids
    modes.set(out.path, stat ? stat.mode & 0o777 : (firstInputMode ?? 0o666) & 0o777 & ~currentUmask());
    seen.push({ canonical, stat, role: out.role, path: out.path });
  }
  const protect: ProtectedFile[] = seen
    .filter((s) => roles.inputs.some((i) => i.role === s.role && i.path === s.path))
    .map((s) => ({ path: s.path, role: s.role, canonical: s.canonical, dev: s.stat?.dev, ino: s.stat?.ino }));
  const allowSharedDir = sharedDirAllowed(roles.allowSharedDir);
  return { modes, protect, allowSharedDir, fileOptions: (p: string) => ({ mode: modes.get(p), protect, allowSharedDir }) };
}

/** `-` names standard output only where a command can stream there; elsewhere it is refused, never a file named "-". */
export function stdoutRefused(what: string, role: string): SafemixError {
  return new SafemixError('usage', `${what}: the ${role} cannot go to standard output`, {
    hint: `give a file path (./- for a file named "-")${role === 'manifest' ? ', or --no-manifest' : ''}`,
  });
}

/** The process's umask, read without changing it for longer than the call. */
function currentUmask(): number {
  const mask = process.umask(0o022);
  process.umask(mask);
  return mask;
}

/**
 * Just before a rename onto `target` (the canonical path found when the file was created): the
 * path given is resolved again now, and the rename is refused when it no longer leads there (a link
 * was made or changed meanwhile), when what it leads to is one of the protected files (same path,
 * or same device and inode), or when the directory became writable by others.
 */
export function recheckTarget(display: string, target: string, protect: readonly ProtectedFile[], allowSharedDir = true): void {
  const now = canonicalPath(display);
  if (now !== target)
    throw new SafemixError(
      'output_changed',
      `${display} now leads to ${now}, not to ${target} as when the run started (a symbolic link was made or changed in the meantime); nothing was written there`,
      {
        position: { file: display },
        hint: 'check who else writes into that directory, then run again; write into a directory only you can write to',
      },
    );
  const st = statOrUndefined(now);
  for (const p of protect) {
    if (p.canonical === now || (st && p.ino !== undefined && st.dev === p.dev && st.ino === p.ino))
      throw new SafemixError('input_is_output', `${display} is now the same file as the ${p.role} (${p.path}); nothing was written over it`, {
        position: { file: display },
        hint: 'write to another path; safemix never overwrites a file it reads',
      });
  }
  if (!allowSharedDir) assertPrivateDir(now, display, 'the output');
}

/** What identifies one state of a file: if any of these change, its bytes may have changed. */
export interface FileFingerprint {
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
  dev: bigint;
}

/** An input's state before it is read; a missing or unreadable input is said as such. */
export function fingerprint(path: string, displayName = path): FileFingerprint {
  let s;
  try {
    s = statSync(path, { bigint: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new SafemixError('input_missing', 'no such file', { position: { file: displayName }, hint: 'check the path' });
    throw new SafemixError('input_unreadable', `cannot read the file (${code ?? String(e)})`, {
      position: { file: displayName },
      hint: 'check the permissions',
    });
  }
  return { size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, ino: s.ino, dev: s.dev };
}

/** Throws when the file is no longer in the state pass 1 read. */
export function assertUnchanged(path: string, displayName: string, before: FileFingerprint, when: string): void {
  let now: FileFingerprint | undefined;
  try {
    now = fingerprint(path);
  } catch {
    now = undefined;
  }
  const what = !now
    ? 'was removed'
    : now.ino !== before.ino || now.dev !== before.dev
      ? 'was replaced by another file'
      : now.size !== before.size
        ? `changed size (${before.size} → ${now.size} bytes)`
        : now.mtimeNs !== before.mtimeNs || now.ctimeNs !== before.ctimeNs
          ? 'was modified'
          : undefined;
  if (what) throw inputChanged(displayName, `the input ${what} ${when}`);
}

export function inputChanged(displayName: string, message: string): SafemixError {
  return new SafemixError('input_changed', `${message}; the output would not match the manifest, so nothing was written`, {
    position: { file: displayName },
    hint: 'let the file settle (finish the upload or copy), then run again; safemix reads the input twice',
  });
}
