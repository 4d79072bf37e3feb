import { test } from '@playwright/test';
import { rm } from 'node:fs/promises';
import { startRelayProcess, type RelayProcess, type RelayProcessOptions } from './relayProcess.js';
import { startWebMode, type WebModeProcess } from './webMode.js';

export interface WebModeWithRelay {
  web: WebModeProcess;
  relay: RelayProcess;
}

/**
 * Starts web mode and a real relay process before each test of the calling spec and stops them
 * (deleting the relay's data) after it. The returned object's fields are set for the running test;
 * `relayOptions` is read before each start.
 */
export function useWebModeWithRelay(relayOptions: () => Promise<RelayProcessOptions> | RelayProcessOptions = () => ({})): WebModeWithRelay {
  const setup = {} as WebModeWithRelay;
  test.beforeEach(async () => {
    [setup.web, setup.relay] = await Promise.all([startWebMode(), Promise.resolve(relayOptions()).then(startRelayProcess)]);
  });
  test.afterEach(async () => {
    await Promise.all([setup.web.stop(), setup.relay.stop()]);
    await rm(setup.relay.dataDirectory, { recursive: true, force: true });
  });
  return setup;
}
