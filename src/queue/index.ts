// `safemix/queue`: the queue workers' library entry. BullMQ and ioredis are optional peer dependencies
// (users who never run workers do not install them); this entry, and the CLI's worker, submit and
// status commands, need them: `npm install bullmq ioredis`.
export { startWorker, type QueueWorkerOptions, type RunningWorker } from './worker.js';
export { submit, status, type SubmitOptions, type SubmitTarget, type SubmitResult, type StatusResult } from './submit.js';
export { JobDataSchema, type JobData } from './jobs.js';
