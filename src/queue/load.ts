// Loads the queue modules for the CLI, saying what to install when the optional peer dependencies
// (bullmq, ioredis) are missing, instead of a module-resolution stack.
import { SafemixError } from '../errors.js';

/** The queue's library entry; a usage error naming the packages to install when they are missing. */
export async function loadQueue(): Promise<typeof import('./index.js')> {
  try {
    return await import('./index.js');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const missing = ['bullmq', 'ioredis'].find((p) => err.code === 'ERR_MODULE_NOT_FOUND' && err.message.includes(`'${p}'`));
    if (!missing) throw e;
    throw new SafemixError('usage', `the queue commands need the optional packages bullmq and ioredis (${missing} is not installed)`, {
      hint: 'npm install bullmq ioredis (next to safemix), then run the command again',
    });
  }
}
