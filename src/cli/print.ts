// The CLI's human-readable output goes through here: control characters in names are escaped and
// secrets in URLs masked (see src/shown.ts), whatever the line carries.
import { maskSecrets, shownLines } from '../shown.js';

/** Text as the CLI prints it to a person: escaped and masked, line breaks kept. */
export function human(text: string): string {
  return maskSecrets(shownLines(text));
}
