// The largest trailing number of every top-level field of the user's records (`id-41` → 41), so that
// new ids continue past the data's own.
import { trailingNumber } from './ids.js';

/** Ids: the largest trailing number of each top-level field (strings of up to 64 characters). */
export function noteNumbers(value: Record<string, unknown>, approximate: boolean, idMax: Map<string, number>): void {
  for (const k in value) {
    const v = value[k];
    let num: number | undefined;
    if (typeof v !== 'string') num = trailingNumber(v);
    else if (v.length <= 64) num = trailingNumber(v);
    // an approximate string counts bytes: its true length may still be 64 characters or fewer
    else if (approximate && v.length <= 256) {
      num = trailingNumber(v);
      if (num !== undefined && Buffer.from(v, 'latin1').toString('utf8').length > 64) num = undefined;
    }
    if (num !== undefined && num > (idMax.get(k) ?? -1)) idMax.set(k, num);
  }
}
