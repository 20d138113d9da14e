// Matching a template's constant parts against a donor's text, to reuse the donor's own wrapper
// (`Q17: `, ` ->`, `\n#### 42`): literal text compared character by character, `{number}` matched
// as a digit run. No regular expression is built from data; linear in the text.

const NUMBER = '{number}';

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Length of a number at `i` (digits with inner `,`/`.`, an optional leading `-`), 0 if none. */
function numberAt(text: string, i: number): number {
  let j = i;
  if (text[j] === '-' && isDigit(text[j + 1])) j++;
  if (!isDigit(text[j])) return 0;
  while (j < text.length && (isDigit(text[j]) || ((text[j] === ',' || text[j] === '.') && isDigit(text[j + 1])))) j++;
  return j - i;
}

/** The donor's text for a prefix template at the start of `text`, or undefined. */
export function matchPrefix(text: string, part: string): string | undefined {
  const pieces = part.split(NUMBER);
  let i = 0;
  for (let k = 0; k < pieces.length; k++) {
    const lit = pieces[k]!;
    if (!text.startsWith(lit, i)) return undefined;
    i += lit.length;
    if (k < pieces.length - 1) {
      const n = numberAt(text, i);
      if (!n) return undefined;
      i += n;
    }
  }
  return text.slice(0, i);
}

/** The donor's text for a suffix template at the end of `text`, or undefined. */
export function matchSuffix(text: string, part: string): string | undefined {
  const pieces = part.split(NUMBER);
  let end = text.length;
  for (let k = pieces.length - 1; k >= 0; k--) {
    const lit = pieces[k]!;
    if (end < lit.length || text.slice(end - lit.length, end) !== lit) return undefined;
    end -= lit.length;
    if (k > 0) {
      // a number ends at `end`: walk back over it
      let start = end;
      while (
        start > 0 &&
        (isDigit(text[start - 1]) || ((text[start - 1] === ',' || text[start - 1] === '.') && isDigit(text[start - 2]) && isDigit(text[start])))
      )
        start--;
      if (start > 0 && text[start - 1] === '-') start--;
      if (start === end) return undefined;
      end = start;
    }
  }
  return text.slice(end);
}

/** The donor's wrapper around the slot for a template, or undefined when the donor does not follow it. */
export function donorAffixes(text: string, template: { prefix: string; suffix: string }): { pre: string; post: string } | undefined {
  const pre = template.prefix ? matchPrefix(text, template.prefix) : '';
  const post = template.suffix ? matchSuffix(text, template.suffix) : '';
  if (pre === undefined || post === undefined || pre.length + post.length > text.length) return undefined;
  return { pre, post };
}
