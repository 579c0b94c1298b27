/**
 * A preparation worker that dies on purpose, for the pool's crash tests: it exits on a file whose key
 * contains `exit-worker`, throws an uncaught error on `throw-in-worker`, and prepares every other file
 * exactly as the real worker does. Asked for summaries, it exits when a source's text contains
 * `exit-worker`, and summarises as the real worker does otherwise.
 */
import { parentPort } from 'node:worker_threads';
import {
  prepareJob,
  type SummariseRequest,
  serveJobs,
} from '../../../../functions/adapters/prepare-protocol.ts';

if (parentPort === null) throw new Error('Runs as a worker thread.');
parentPort.on('message', (message: Partial<SummariseRequest>) => {
  const texts = (message.jobs ?? []).flatMap((job) => job.sources.map((source) => source.text));
  if (message.kind === 'summarise' && texts.some((text) => text.includes('exit-worker'))) process.exit(7);
});
serveJobs(parentPort, async (job) => {
  if (job.key.includes('exit-worker')) process.exit(7);
  if (job.key.includes('throw-in-worker')) {
    setImmediate(() => {
      throw new Error('uncaught in the worker');
    });
    return new Promise(() => {});
  }
  return prepareJob(job);
});
