// What the CLI prints of things it did not write itself: file names and URLs. A name is shown with
// its control characters escaped (a newline or an ANSI escape in a file name cannot forge a line of
// output or recolour the terminal), and a URL without its secrets (a password, an API key in the
// query). Pure functions, used by every place that prints.

/** Control characters: C0 (tab and newline too), DEL, C1, and the bidirectional overrides. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(ch: string): string {
  const c = ch.codePointAt(0)!;
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  if (ch === '\u001b') return '\\e';
  return c < 0x100 ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
}

/** A name or message line with its control characters written as escapes (`\n`, `\e`, `\x07`). */
export function shownText(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/** Each line of a multi-line text shown as shownText shows it; the line breaks themselves kept. */
export function shownLines(text: string): string {
  return text.split('\n').map(shownText).join('\n');
}

const SECRET_PARAM = /^(?:api[-_]?key|key|token|access[-_]?token|secret|password|passwd|pwd|auth|sig|signature|credential|x-api-key)$/i;

/** One URL with its password and secret-looking query values replaced by `***`. */
export function maskUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  let changed = false;
  if (u.password) {
    u.password = '***';
    changed = true;
  } else if (u.username && /^(?:redis|rediss|unix)$/i.test(u.protocol.replace(/:$/, ''))) {
    // redis://SECRET@host: a lone user part is Redis's password
    u.username = '***';
    changed = true;
  }
  for (const [k] of [...u.searchParams]) {
    if (SECRET_PARAM.test(k)) {
      u.searchParams.set(k, '***');
      changed = true;
    }
  }
  return changed ? u.toString().replace(/%2A%2A%2A/g, '***') : url;
}

/** Every URL inside a text, masked as maskUrl masks it. */
export function maskSecrets(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>()]+/gi, (m) => maskUrl(m));
}
