// Writes a mix manifest as `JSON.stringify(manifest, null, 2)` would, without building that string:
// the injected list (one entry per safety record, tens of thousands on a large file) is serialized
// entry by entry into the file's buffer, or copied from the spool a run kept it in (InjectedSpool),
// so the manifest adds no memory that grows with the file.
import type { ByteSink } from './record-sink.js';
import type { Profile } from '../profile/profile.js';
import { injectedEntryText, type InjectedSpool } from './injected-spool.js';

/** The manifest's lists of records, one entry per generated record: written entry by entry. */
const LISTS = ['injected', 'balanceRecords'] as const;
type ListKey = (typeof LISTS)[number];

/**
 * Writes `manifest` as pretty JSON plus a final newline. Its top-level lists `injected` (the safety
 * records) and `balanceRecords` (the balance examples), where present, are written entry by entry;
 * with a spool for a list, the list is the spool's entries (the manifest's own is left out).
 */
export function writeManifest(
  out: ByteSink,
  manifest: { injected: readonly unknown[]; balanceRecords?: readonly unknown[] },
  spools: Partial<Record<ListKey, InjectedSpool>> = {},
): void {
  const present = LISTS.filter((key) => manifest[key] !== undefined);
  const text = JSON.stringify({ ...manifest, ...Object.fromEntries(present.map((key) => [key, []])) }, null, 2);
  // the lists in the order they appear in the text
  const marks = present
    .map((key) => ({ key, at: text.indexOf(`\n  ${JSON.stringify(key)}: []`) }))
    .filter((m) => {
      if (m.at < 0 && spools[m.key]) throw new Error(`writeManifest: the manifest has no ${m.key} list to fill from the spool`);
      return m.at >= 0;
    })
    .sort((a, b) => a.at - b.at);
  let from = 0;
  for (const { key, at } of marks) {
    const spool = spools[key];
    const entries = spool ? [] : manifest[key]!;
    const count = spool ? spool.count : entries.length;
    const open = at + `\n  ${JSON.stringify(key)}: [`.length; // just after the opening bracket
    if (count === 0) continue;
    out.write(text.slice(from, open));
    if (spool) {
      out.write('\n');
      spool.copyTo(out);
      out.write('\n  ');
    } else {
      let piece = '\n';
      for (let i = 0; i < entries.length; i++) {
        piece += injectedEntryText(entries[i]) + (i + 1 < entries.length ? ',\n' : '\n  ');
        if (piece.length > 1 << 16) {
          out.write(piece);
          piece = '';
        }
      }
      out.write(piece);
    }
    from = open; // the closing bracket follows
  }
  out.write(text.slice(from) + '\n');
}

/** The manifest's summary of a profile: where requests and answers go, the templates, the sample's size. */
export function manifestProfile(profile: Profile, sample: number) {
  return {
    request: `${profile.views.request.path} (${profile.views.request.slot})`,
    response: profile.views.response && `${profile.views.response.path} (${profile.views.response.slot})`,
    systemPrompts: profile.systemPrompts.kind,
    templates: profile.templates
      .filter((t) => t.prefix || t.suffix)
      .slice(0, 8)
      .map((t) => ({ slot: t.slot, text: t.text, coverage: t.coverage })),
    answerSpace: profile.answerSpace.kind,
    sample,
  };
}

/** One shared object per distinct value: the `fields` maps of a run's entries are nearly all alike. */
export class Interner<T> {
  private readonly seen = new Map<string, T>();
  of(value: T): T {
    const key = JSON.stringify(value);
    const known = this.seen.get(key);
    if (known !== undefined) return known;
    if (this.seen.size < 10_000) this.seen.set(key, value);
    return value;
  }
}
