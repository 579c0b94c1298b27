/**
 * The entry of a preparation worker thread (adapters/prepare-pool.ts): extraction and story signals
 * for one file at a time.
 */
import { parentPort } from 'node:worker_threads';
import { prepareJob, serveJobs } from './prepare-protocol.ts';

if (parentPort === null)
  throw new Error('prepare-worker.ts runs as a worker thread of the preparation pool.');
serveJobs(parentPort, prepareJob);
