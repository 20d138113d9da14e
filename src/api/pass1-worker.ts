// A worker thread of the first pass's checks (see pass1-pool.ts): it checks each group it is sent
// (pass1-check.ts), writing the statuses into the group's shared memory, and answers with the
// group's numbers.
import { parentPort, workerData } from 'node:worker_threads';
import { checkGroup, type CheckContext } from './pass1-check.js';

interface GroupMessage {
  id: number;
  bytes: Uint8Array;
  ends: Uint32Array;
  count: number;
  status: Uint8Array;
}

const ctx = workerData as CheckContext;
parentPort!.on('message', (m: GroupMessage) => {
  const numbers = checkGroup(m.bytes, m.ends, m.count, ctx, m.status);
  parentPort!.postMessage({ id: m.id, numbers });
});
