// The default queue's name, on its own so that the CLI can show it at start-up without loading ioredis.
export const DEFAULT_QUEUE = 'safemix';
