/**
 * Runs the routing model fitting (`fitRouting`, src/commands/routing-fit.ts) in a worker thread, so the worker's
 * scheduled retraining does not block its event loop (deliveries, and web requests when the worker runs inside
 * `aduan serve`). One short-lived thread per fit; its entry registers tsx and imports the TypeScript module.
 */
import { Worker } from 'node:worker_threads';
import type { Fit, FitResult } from '../commands/routing-fit.ts';

/** {@link Fit} in a fresh worker thread; rejects if the thread fails or exits without an answer. */
export const fitInThread: Fit = (examples, spec, crossValidate, semi) =>
  new Promise<FitResult>((resolve, reject) => {
    const thread = new Worker(new URL('./routing-fit-thread-entry.mjs', import.meta.url), {
      workerData: { examples, spec, crossValidate, semi },
    });
    let answered = false;
    thread.once('message', (result: FitResult) => {
      answered = true;
      resolve(result);
      void thread.terminate();
    });
    thread.once('error', reject);
    thread.once('exit', (code) => {
      if (!answered) reject(new Error(`routing training thread exited with code ${code} and no model`));
    });
  });
