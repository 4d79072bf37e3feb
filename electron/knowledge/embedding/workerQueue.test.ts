import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AresError } from '../../../shared/errors.js';
import { WorkerQueue } from './workerQueue.js';

type EchoRequest = { id: number; text: string; crash?: boolean };

// A worker that answers each request with its text, or ends its thread when asked to crash.
const echoWorker = `
import { parentPort } from 'node:worker_threads';
parentPort.on('message', (request) => {
  if (request.crash) process.exit(3);
  parentPort.postMessage({ id: request.id, ok: true, result: request.text });
});
`;

describe('worker queue', () => {
  let folder: string;
  let entry: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ares-worker-queue-'));
    entry = join(folder, 'echoWorker.mjs');
    await writeFile(entry, echoWorker);
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('starts a fresh worker for the next request after one ended', async () => {
    let started = 0;
    const queue = new WorkerQueue<EchoRequest>(() => {
      started += 1;
      return entry;
    });
    await expect(queue.submit({ text: 'first' })).resolves.toBe('first');
    await expect(queue.submit({ text: 'boom', crash: true })).rejects.toThrow(/exit code 3/);
    await expect(queue.submit({ text: 'again' })).resolves.toBe('again');
    expect(started).toBe(2);
    await queue.stop();
  });

  it('fails every later request with a clear error once an irreplaceable worker ended, starting no other', async () => {
    let started = 0;
    const queue = new WorkerQueue<EchoRequest>(() => {
      started += 1;
      return entry;
    }, {
      irreplaceable: (cause) => new AresError('EMBEDDING_STOPPED', `The embedding engine stopped (${cause.message}).`),
    });
    await expect(queue.submit({ text: 'first' })).resolves.toBe('first');
    const crash = queue.submit({ text: 'boom', crash: true });
    const queued = queue.submit({ text: 'queued behind it' });
    await expect(crash).rejects.toMatchObject({ code: 'EMBEDDING_STOPPED', message: expect.stringMatching(/exit code 3/) });
    await expect(queued).rejects.toMatchObject({ code: 'EMBEDDING_STOPPED' });
    await expect(queue.submit({ text: 'later', crash: false })).rejects.toMatchObject({ code: 'EMBEDDING_STOPPED' });
    expect(started).toBe(1);
  });
});
