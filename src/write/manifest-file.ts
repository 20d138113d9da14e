// Writes a mix manifest as `JSON.stringify(manifest, null, 2)` would, without building that string:
// the injected list (one entry per safety record, tens of thousands on a large file) is serialized
// entry by entry into the file's buffer, or copied from the spool a run kept it in (InjectedSpool),
// so the manifest adds no memory that grows with the file.
import type { ByteSink } from './record-sink.js';
import type { Profile } from '../profile/profile.js';
import { injectedEntryText, type InjectedSpool } from './injected-spool.js';

const MARK = '\n  "injected": []';

/**
 * Writes `manifest` (an object with an `injected` array) as pretty JSON plus a final newline. With
 * `spool`, the list is the spool's entries (the manifest's own `injected` is left out).
 */
export function writeManifest(out: ByteSink, manifest: { injected: readonly unknown[] }, spool?: InjectedSpool): void {
  const entries = spool ? [] : manifest.injected;
  const count = spool ? spool.count : entries.length;
  const text = JSON.stringify({ ...manifest, injected: [] }, null, 2);
  const at = text.indexOf(MARK);
  if (at < 0 && spool) throw new Error('writeManifest: the manifest has no injected list to fill from the spool');
  if (at < 0 || count === 0) {
    out.write(count === 0 ? text + '\n' : JSON.stringify(manifest, null, 2) + '\n');
    return;
  }
  const cut = at + MARK.length - 1; // before the closing bracket
  out.write(text.slice(0, cut - 1));
  if (spool) {
    out.write('[\n');
    spool.copyTo(out);
    out.write('\n  ]' + text.slice(cut + 1) + '\n');
    return;
  }
  let piece = '[\n';
  for (let i = 0; i < entries.length; i++) {
    piece += injectedEntryText(entries[i]) + (i + 1 < entries.length ? ',\n' : '\n  ]');
    if (piece.length > 1 << 16) {
      out.write(piece);
      piece = '';
    }
  }
  out.write(piece + text.slice(cut + 1) + '\n');
}

/** The manifest's summary of a profile: where requests and answers go, the templates, the sample's size. */
export function manifestProfile(profile: Profile, sample: number) {
  return {
    request: `${profile.views.request.path} (${profile.views.request.slot})`,
    response: profile.views.response && `${profile.views.response.path} (${profile.views.response.slot})`,
    systemPrompts: profile.systemPrompts.kind,
    templates: profile.templates.filter((t) => t.prefix || t.suffix).slice(0, 8).map((t) => ({ slot: t.slot, text: t.text, coverage: t.coverage })),
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
