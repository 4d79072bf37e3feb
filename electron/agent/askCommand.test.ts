import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentDecision } from '../../shared/schemas/agent.js';
import { createAgentTenant, passphrase } from './testing/agentTenant.js';

/** Runs the real `ares` entry point against a tenant prepared through the core. */
function ares(args: string[], dataDirectory: string, environment: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, ['bin/ares.mjs', ...args], {
    env: { ...process.env, ARES_DATA_DIR: dataDirectory, ARES_PASSPHRASE: passphrase, ...environment },
    encoding: 'utf8',
    // A CLI that does not exit after printing is a failure, not a hang of the whole suite.
    timeout: 45_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('ares ask', () => {
  let dataDirectory: string;
  beforeAll(async () => {
    const tenant = await createAgentTenant();
    dataDirectory = tenant.dataDirectory;
    await tenant.core.dispose();
  });
  afterAll(() => rm(dataDirectory, { recursive: true, force: true }));

  it('prints the decision, the reply and the passages it used', () => {
    const result = ares(['ask', '--tenant', 'Acme Bags', 'How long does delivery take?'], dataDirectory);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Decision: answer \(extractive, confidence \d+% \(threshold 60%\)\)/);
    expect(result.stdout).toContain('Standard delivery takes three to five days.');
    expect(result.stdout).toMatch(/\[1\]\* faq\.md \(Shipping › How long does delivery take\?\)/);
  });

  it('prints the whole decision as JSON with --json, including catalog products', () => {
    const result = ares(['ask', '--tenant', 'Acme Bags', '--json', 'How much is the Joust Duffle Bag?'], dataDirectory);
    expect(result.status).toBe(0);
    const decision = JSON.parse(result.stdout) as AgentDecision;
    expect(decision).toMatchObject({ outcome: 'answer', products: [expect.objectContaining({ sku: '24-MB01', price: 34, stock: 100 })] });
  });

  it('shows a hand-off with its reason', () => {
    const result = ares(['ask', '--tenant', 'Acme Bags', 'Je veux parler à un humain'], dataDirectory);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Decision: hand off — customer_request/);
  });

  it('fails with a readable error on a wrong passphrase', () => {
    const result = ares(['ask', '--tenant', 'Acme Bags', 'hello there'], dataDirectory, { ARES_PASSPHRASE: 'definitely not right' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/WRONG_PASSPHRASE/);
    expect(result.stdout).toBe('');
  });
});
