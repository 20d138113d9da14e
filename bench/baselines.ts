// The plain loops safemix is measured against (issue 12 names them exactly): `npm run bench` runs
// all of them, `npm run bench:floors` the Python loop.

/** Node: readline over a read stream, JSON.parse each non-empty line, write it with backpressure. */
export const NODE_LOOP = `
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
const out = createWriteStream(process.argv[3]);
const rl = createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity });
for await (const line of rl) {
  if (!line) continue;
  JSON.parse(line);
  if (!out.write(line + '\\n')) await once(out, 'drain');
}
out.end();
await once(out, 'finish');
`;

/** Python: json.loads each non-empty line of the file opened in binary, write it. */
export const PYTHON_LOOP = `
import json, sys
with open(sys.argv[1], 'rb') as f, open(sys.argv[2], 'wb') as out:
    for l in f:
        if l.strip():
            json.loads(l)
            out.write(l)
`;

/** Python's csv module: reader → writer. */
export const PYTHON_CSV_LOOP = `
import csv, sys
with open(sys.argv[1], newline='') as f, open(sys.argv[2], 'w', newline='') as o:
    w = csv.writer(o)
    for r in csv.reader(f):
        w.writerow(r)
`;
