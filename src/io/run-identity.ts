// Who made a temp file: a tag unique to one run of one process on one machine (boot id, PID
// namespace, PID and the process's start time), written into every temp name, so that a later run
// removes only the temp files of runs that are over. A PID alone is not enough: containers on one
// host share a host name and reuse PIDs in namespaces of their own, and a PID is reused after its
// process ends. Without /proc (not Linux) the boot, namespace and start fields are "0", and a
// process is judged by whether its PID answers a signal.
import { readFileSync, readlinkSync } from 'node:fs';

export interface RunIdentity {
  /** The first 12 hex digits of the kernel's boot id: differs between machines and boots. */
  boot: string;
  /** The PID namespace's inode number. */
  pidns: string;
  pid: number;
  /** The process's start time, in clock ticks since boot (field 22 of /proc/PID/stat). */
  start: string;
}

function readOr(read: () => string, fallback: string): string {
  try {
    return read();
  } catch {
    return fallback;
  }
}

const HAVE_PROC = readOr(() => readFileSync('/proc/self/stat', 'utf8'), '') !== '';

/** The start time of a process of this PID namespace, or undefined when no such process runs. */
function processStart(pid: number): string | undefined {
  if (HAVE_PROC) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // the command name (field 2) may hold spaces and parentheses: fields are counted after its last ")"
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    } catch {
      return undefined;
    }
  }
  // no /proc: whether the PID answers a signal (EPERM: it runs, as another user)
  try {
    process.kill(pid, 0);
    return '0';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? '0' : undefined;
  }
}

let self: RunIdentity | undefined;

export function currentRunIdentity(): RunIdentity {
  if (self && self.pid === process.pid) return self;
  const boot =
    readOr(
      () =>
        readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')
          .replace(/[^0-9a-f]/g, '')
          .slice(0, 12),
      '0',
    ) || '0';
  const pidns = readOr(() => /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? '0', '0');
  return (self = { boot, pidns, pid: process.pid, start: processStart(process.pid) ?? '0' });
}

/** `BOOT-PIDNS-PID-START`: the run's part of a temp name (digits, hex and `-` only). */
export function runTag(id: RunIdentity = currentRunIdentity()): string {
  return `${id.boot}-${id.pidns}-${id.pid}-${id.start}`;
}

const TAG = /^([0-9a-f]{1,12})-([0-9]{1,20})-([0-9]{1,10})-([0-9]{1,20})(?:-|$)/;

/** Reads a run tag at the start of `text` (what follows it, after a `-`, is the caller's). */
export function parseRunTag(text: string): { id: RunIdentity; rest: string } | undefined {
  const m = TAG.exec(text);
  if (!m) return undefined;
  return { id: { boot: m[1]!, pidns: m[2]!, pid: Number(m[3]), start: m[4]! }, rest: text.slice(m[0].length) };
}

/**
 * Whether the run that wrote a tag is over, as far as this process can know: only a run of this
 * boot and this PID namespace can be judged (another machine sharing a network directory, or a
 * container beside this one, is left alone), and it is over when its PID is gone or now belongs
 * to a process that started at another time. `startOf` is injectable for tests.
 */
export function runIsOver(tag: RunIdentity, self: RunIdentity = currentRunIdentity(), startOf: (pid: number) => string | undefined = processStart): boolean {
  if (tag.boot !== self.boot || tag.pidns !== self.pidns) return false;
  if (tag.pid === self.pid && tag.start === self.start) return false;
  const start = startOf(tag.pid);
  return start === undefined || (start !== tag.start && start !== '0' && tag.start !== '0');
}
