import { parentPort } from 'node:worker_threads';
import { AresError } from '../../../shared/errors.js';
import type { WorkerResponse } from './workerProtocol.js';

/** The worker-thread side of a WorkerQueue: answers each request with its result or a readable error. */
export function serveRequests<Request extends { id: number }>(handle: (request: Request) => Promise<unknown>): void {
  parentPort!.on('message', (request: Request) => {
    handle(request).then(
      (result) => {
        const response: WorkerResponse = { id: request.id, ok: true, result };
        parentPort!.postMessage(response, result instanceof Float32Array ? [result.buffer as ArrayBuffer] : []);
      },
      (error: unknown) => {
        const response: WorkerResponse =
          error instanceof AresError
            ? { id: request.id, ok: false, code: error.code, message: error.message }
            : { id: request.id, ok: false, code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
        parentPort!.postMessage(response);
      },
    );
  });
}
