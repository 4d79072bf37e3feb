import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import type { RelayConfig } from '../../relay/relayConfig.js';
import { startTestRelay, type TestRelay } from '../../relay/testing/relayTestHarness.js';
import { ownerAccount, passphrase } from './relayTestSupport.js';

const run = promisify(execFile);

/** The owner's secrets where the CLI reads them (the environment, never argv). */
export const ownerEnvironment: NodeJS.ProcessEnv = { ...process.env, ARES_PASSPHRASE: passphrase, ARES_RELAY_PASSWORD: ownerAccount.password };

export interface CliFailure {
  code: number;
  stderr: string;
}

export interface CliWithRelay {
  readonly relay: TestRelay;
  readonly dataDirectory: string;
  /** Runs `ares --json …` as the owner and returns its last output line, parsed. */
  ares(...args: string[]): Promise<unknown>;
  /** The same with other secrets (a colleague's password, an invitation code). */
  aresWith(environment: NodeJS.ProcessEnv, ...args: string[]): Promise<unknown>;
  /** Runs `ares …` that must fail, and returns its exit code and standard error. */
  failing(args: string[], environment?: NodeJS.ProcessEnv): Promise<CliFailure>;
}

/**
 * For a CLI suite: a real relay and a fresh data folder (made before all its tests, removed after),
 * and the real `ares` process (bin/ares.mjs) on that folder, as a user runs it.
 */
export function useCliWithRelay(name: string, relayOverrides: Partial<RelayConfig> = {}): CliWithRelay {
  let relay: TestRelay | undefined;
  let dataDirectory: string | undefined;
  beforeAll(async () => {
    relay = await startTestRelay(relayOverrides);
    dataDirectory = await mkdtemp(join(tmpdir(), `ares-cli-${name}-`));
  });
  afterAll(async () => {
    await relay?.stop();
    if (dataDirectory) await rm(dataDirectory, { recursive: true, force: true });
  });
  const execute = (args: string[], environment: NodeJS.ProcessEnv) => run(process.execPath, ['bin/ares.mjs', '--data-dir', dataDirectory!, ...args], { env: environment });
  const aresWith = async (environment: NodeJS.ProcessEnv, ...args: string[]): Promise<unknown> => {
    const { stdout } = await execute(['--json', ...args], environment);
    return JSON.parse(stdout.trim().split('\n').at(-1)!);
  };
  return {
    get relay() {
      return relay!;
    },
    get dataDirectory() {
      return dataDirectory!;
    },
    ares: (...args) => aresWith(ownerEnvironment, ...args),
    aresWith,
    failing: (args, environment = ownerEnvironment) =>
      execute(args, environment).then(
        () => {
          throw new Error(`ares ${args.join(' ')} succeeded but should have failed`);
        },
        (error: CliFailure) => error,
      ),
  };
}
