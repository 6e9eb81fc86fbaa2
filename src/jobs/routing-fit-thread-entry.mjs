// Worker-thread entry of src/jobs/routing-fit-thread.ts: TypeScript through tsx (as bin/aduan.js), then one fit.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { fitRouting } = await import('../commands/routing-fit.ts');
parentPort.postMessage(
  fitRouting(workerData.examples, workerData.spec, workerData.crossValidate, workerData.semi),
);
