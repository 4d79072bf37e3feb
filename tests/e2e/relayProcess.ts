import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForAddress } from './processAddress.js';

export interface RelayProcess {
  url: string;
  port: number;
  dataDirectory: string;
  process: ChildProcess;
  /** SIGKILL: no shutdown hooks, like a crash or a pulled plug. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the real `npm run relay` entry on `port` with `dataDirectory` and waits for its address line. */
export interface RelayProcessOptions {
  port?: number;
  dataDirectory?: string;
  environment?: NodeJS.ProcessEnv;
}

export async function startRelayProcess(options: RelayProcessOptions = {}): Promise<RelayProcess> {
  const dataDirectory = options.dataDirectory ?? (await mkdtemp(join(tmpdir(), 'ares-relay-e2e-')));
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'relay/main.ts', '--port', String(port), '--data-dir', dataDirectory], {
    env: { ...process.env, RELAY_SCRYPT_COST: '10', RELAY_LOG_LEVEL: 'warn', ...options.environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await waitForAddress(child, 'Ares relay').catch(async (error: unknown) => {
    if (!options.dataDirectory) await rm(dataDirectory, { recursive: true, force: true });
    throw error;
  });
  // Whatever the relay says after starting (warnings, errors) shows in the test output.
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[relay ${port}] ${chunk.toString()}`));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url,
    port,
    dataDirectory,
    process: child,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      if (!options.dataDirectory) await rm(dataDirectory, { recursive: true, force: true });
    },
  };
}
