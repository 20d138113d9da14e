// Where a run may write: every output path is compared with every input (the dataset, a --safety
// file) and with the other outputs by its real location, found by resolving each existing ancestor
// (symlinks, `..` after a missing directory) and by device and inode, so no spelling of a path can
// make safemix write over a file it reads. Targets that are not regular files are refused, and the
// mode a new file gets is decided here (the replaced target's, else the input's).
import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, parse, resolve, sep } from 'node:path';
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

export interface TargetRoles {
  /** Files the run reads: the dataset and any --safety file (`-` is skipped). */
  inputs: { path: string; role: string }[];
  /** Files the run writes (`-` is skipped). */
  outputs: { path: string; role: string; flag: string }[];
}

/**
 * Refuses any output that is an input, another output, a directory, or a device, FIFO or socket.
 * Returns, for each output, the permission bits its new file gets.
 */
export function checkTargets(roles: TargetRoles): Map<string, number> {
  const seen: { canonical: string; stat?: Stats; role: string; path: string }[] = [];
  for (const input of roles.inputs) {
    if (input.path === '-') continue;
    seen.push({ canonical: canonicalPath(input.path), stat: statOrUndefined(input.path), role: input.role, path: input.path });
  }
  const firstInputMode = seen.find((s) => s.stat)?.stat?.mode;
  const modes = new Map<string, number>();
  for (const out of roles.outputs) {
    if (out.path === '-') continue;
    const canonical = canonicalPath(out.path);
    const stat = statOrUndefined(canonical);
    for (const s of seen) {
      const same = s.canonical === canonical || (stat && s.stat && stat.dev === s.stat.dev && stat.ino === s.stat.ino);
      if (!same) continue;
      const isInput = roles.inputs.some((i) => i.role === s.role);
      throw new SafemixError('input_is_output', `${out.flag} ${out.path} is the same file as the ${s.role} (${s.path})`, {
        position: { file: out.path },
        hint: isInput ? `write to another path with ${out.flag}; safemix never overwrites a file it reads` : `give the ${out.role} and the ${s.role} different paths`,
      });
    }
    if (stat && !stat.isFile()) {
      const what = stat.isDirectory() ? 'a directory' : stat.isFIFO() ? 'a FIFO' : stat.isCharacterDevice() ? 'a character device' : stat.isBlockDevice() ? 'a block device' : stat.isSocket() ? 'a socket' : 'not a regular file';
      throw new SafemixError('output_not_regular', `${out.flag} ${out.path} is ${what}, not a regular file`, {
        position: { file: out.path },
        hint: stat.isDirectory() ? `name a file inside it, e.g. ${out.flag} ${join(out.path, 'mixed.jsonl')}` : `name a regular file; to stream the result use ${out.flag} -`,
      });
    }
    // a symlinked target is replaced where it points, never turned into a file beside the link
    if (!stat) {
      try {
        if (lstatSync(out.path).isSymbolicLink()) throw new SafemixError('output_not_regular', `${out.flag} ${out.path} is a dangling symbolic link`, { position: { file: out.path }, hint: 'remove the link or name another path' });
      } catch (e) {
        if (e instanceof SafemixError) throw e;
      }
    }
    modes.set(out.path, (stat?.mode ?? firstInputMode ?? 0o644) & 0o777);
    seen.push({ canonical, stat, role: out.role, path: out.path });
  }
  return modes;
}

/** The real file an output path names (symlinks followed), so a rename replaces the file, not the link. */
export function realTarget(path: string): string {
  return canonicalPath(resolve(path));
}

/** What identifies one state of a file: if any of these change, its bytes may have changed. */
export interface FileFingerprint {
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
  dev: bigint;
}

export function fingerprint(path: string): FileFingerprint {
  const s = statSync(path, { bigint: true });
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
