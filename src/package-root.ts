// Where safemix's own files (data/, templates/) are, whether it runs from src/ through tsx or from
// the compiled dist/src/: the nearest folder above this module that holds safemix's package.json.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The tool's name and version, as manifests and Parquet files record it. */
export const TOOL = 'safemix 0.1.0';

let root: string | undefined;

function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'safemix') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('safemix: cannot find its package folder');
    dir = up;
  }
}

export function packageFile(rel: string): string {
  return join(packageRoot(), rel);
}
