// Writes a mix manifest as `JSON.stringify(manifest, null, 2)` would, without building that string:
// the injected list (one entry per safety record, tens of thousands on a large file) is serialized
// entry by entry into the file's buffer, so the manifest adds no memory that grows with the file.
import type { ByteSink } from './record-sink.js';
import type { Profile } from '../profile/profile.js';

const MARK = '\n  "injected": []';

/** Writes `manifest` (an object with an `injected` array) as pretty JSON plus a final newline. */
export function writeManifest(out: ByteSink, manifest: { injected: readonly unknown[] }): void {
  const entries = manifest.injected;
  const text = JSON.stringify({ ...manifest, injected: [] }, null, 2);
  const at = text.indexOf(MARK);
  if (at < 0 || entries.length === 0) {
    out.write(entries.length === 0 ? text + '\n' : JSON.stringify(manifest, null, 2) + '\n');
    return;
  }
  const cut = at + MARK.length - 1; // before the closing bracket
  out.write(text.slice(0, cut - 1));
  let piece = '[\n';
  for (let i = 0; i < entries.length; i++) {
    piece += '    ' + JSON.stringify(entries[i], null, 2).replace(/\n/g, '\n    ') + (i + 1 < entries.length ? ',\n' : '\n  ]');
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
