// Recognizer for text hidden in invisible characters: Unicode tag characters, zero-width
// characters used as bits, and runs of variation selectors used as bytes. Legitimate single uses
// (a BOM, emoji joiners, one emoji presentation selector, flag tag sequences) are not counted.
import type { Detection } from './types.js';
import { invisiblePayloads } from './codecs/hidden.js';
import { excerpt } from './text-scan.js';

function isZeroWidth(cp: number): boolean {
  return (cp >= 0x200b && cp <= 0x200d) || cp === 0x2060 || cp === 0xfeff;
}

function isTag(cp: number): boolean {
  return cp >= 0xe0000 && cp <= 0xe007f;
}

function isVariationSelector(cp: number): boolean {
  return (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}

function isPictographic(cp: number): boolean {
  return cp >= 0x1f000 || (cp >= 0x2600 && cp <= 0x27bf) || (cp >= 0x2190 && cp <= 0x21ff) || (cp >= 0x2300 && cp <= 0x23ff) || cp === 0x2764;
}

interface InvisibleCounts {
  tags: number;
  zeroWidth: number;
  variationSelectors: number;
  /** Longest run of consecutive invisible characters. */
  longestRun: number;
}

/** Counts invisible characters that are not explained by ordinary emoji or BOM use. */
function countInvisible(text: string): InvisibleCounts {
  const cps: number[] = [];
  for (const ch of text) cps.push(ch.codePointAt(0)!);
  let tags = 0;
  let zeroWidth = 0;
  let variationSelectors = 0;
  let run = 0;
  let longestRun = 0;
  let inFlag = false;
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i]!;
    const prev = i > 0 ? cps[i - 1]! : -1;
    const next = i + 1 < cps.length ? cps[i + 1]! : -1;
    let suspicious = false;
    if (isTag(cp)) {
      if (prev === 0x1f3f4) inFlag = true;
      if (!inFlag) {
        tags++;
        suspicious = true;
      }
      if (cp === 0xe007f) inFlag = false;
    } else {
      inFlag = false;
      if (isZeroWidth(cp)) {
        const bom = cp === 0xfeff && i === 0;
        const joiner = cp === 0x200d && (isPictographic(prev) || isVariationSelector(prev)) && isPictographic(next);
        const nonJoiner = cp === 0x200c && prev >= 0x0600 && prev < 0x2000 && !isZeroWidth(next);
        if (!bom && !joiner && !nonJoiner) {
          zeroWidth++;
          suspicious = true;
        }
      } else if (isVariationSelector(cp)) {
        const single = !isVariationSelector(prev) && !isVariationSelector(next);
        if (!single) {
          variationSelectors++;
          suspicious = true;
        }
      }
    }
    if (suspicious || (run > 0 && (isTag(cp) || isZeroWidth(cp) || isVariationSelector(cp)))) {
      run++;
      if (run > longestRun) longestRun = run;
    } else run = 0;
  }
  return { tags, zeroWidth, variationSelectors, longestRun };
}

/** Flags tag characters (2+), zero-width characters (8+, or 3 in a row) and variation-selector runs (4+). */
export function findInvisible(text: string): Detection | undefined {
  // Fast path: nothing at or above U+200B that could be invisible.
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x200b && c <= 0x2060) || c === 0xfeff || (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xd800 && c <= 0xdbff)) {
      any = true;
      break;
    }
  }
  if (!any) return undefined;
  const k = countInvisible(text);
  const flagged = k.tags >= 2 || k.zeroWidth >= 8 || (k.zeroWidth >= 3 && k.longestRun >= 3) || k.variationSelectors >= 4;
  if (!flagged) return undefined;
  const p = invisiblePayloads(text);
  const kinds: string[] = [];
  if (k.tags) kinds.push(`${k.tags} tag characters`);
  if (k.zeroWidth) kinds.push(`${k.zeroWidth} zero-width characters`);
  if (k.variationSelectors) kinds.push(`${k.variationSelectors} variation selectors in runs`);
  const decoded = [p.tags, p.zeroWidth, p.variationSelectors].sort((a, b) => b.length - a.length)[0]!;
  const visible = Array.from(text)
    .filter((ch) => {
      const cp = ch.codePointAt(0)!;
      return !isTag(cp) && !isZeroWidth(cp) && !isVariationSelector(cp);
    })
    .join('');
  return {
    family: 'invisible',
    score: k.tags >= 8 || k.zeroWidth >= 16 || k.variationSelectors >= 8 ? 0.99 : 0.9,
    evidence: `${kinds.join(', ')} (longest invisible run ${k.longestRun})${decoded ? `; hidden text "${excerpt(decoded, 60)}"` : ''}`,
    excerpt: excerpt(visible),
    decoded: decoded || undefined,
  };
}
