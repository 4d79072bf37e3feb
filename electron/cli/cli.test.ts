import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { strongPassphrase, temporaryDirectory } from '../vault/testSupport.js';

/** Runs the real `ares` entry point, as a user or a script would. */
function ares(args: string[], options: { dataDirectory: string; passphrase?: string; input?: string }) {
  const environment: NodeJS.ProcessEnv = { ...process.env, ARES_DATA_DIR: options.dataDirectory };
  delete environment.ARES_PASSPHRASE;
  if (options.passphrase !== undefined) environment.ARES_PASSPHRASE = options.passphrase;
  const result = spawnSync(process.execPath, ['bin/ares.mjs', ...args], { env: environment, input: options.input ?? '', encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the ares command line', () => {
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  beforeEach(async () => {
    directory = await temporaryDirectory();
  });
  afterEach(() => directory.remove());

  it('creates, lists and deletes tenants with JSON output', () => {
    const dataDirectory = directory.path;
    expect(ares(['tenant', 'list', '--json'], { dataDirectory }).stdout.trim()).toBe('[]');
    const created = ares(['tenant', 'create', '--name', 'Acme Bikes'], { dataDirectory, passphrase: strongPassphrase });
    expect(created.status).toBe(0);
    // The passphrase can also arrive on standard input.
    expect(ares(['tenant', 'create', '--name', 'Beta Books'], { dataDirectory, input: `${strongPassphrase}\n` }).status).toBe(0);
    const listed = JSON.parse(ares(['tenant', 'list', '--json'], { dataDirectory }).stdout) as { name: string }[];
    expect(listed.map((tenant) => tenant.name)).toEqual(['Acme Bikes', 'Beta Books']);

    const deleted = ares(['--json', 'tenant', 'delete', '--name', 'Acme Bikes'], { dataDirectory, passphrase: strongPassphrase });
    expect(deleted.status).toBe(0);
    expect(JSON.parse(deleted.stdout)).toEqual({ deleted: 'Acme Bikes' });
    expect(JSON.parse(ares(['tenant', 'list', '--json'], { dataDirectory }).stdout)).toEqual([{ name: 'Beta Books', rememberedOnDevice: false }]);
  });

  it('prints a readable error on stderr and exits non-zero on a wrong passphrase', () => {
    const dataDirectory = directory.path;
    ares(['tenant', 'create', '--name', 'Acme Bikes'], { dataDirectory, passphrase: strongPassphrase });
    const result = ares(['tenant', 'delete', '--name', 'Acme Bikes'], { dataDirectory, passphrase: 'definitely not right' });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/passphrase is not correct.*WRONG_PASSPHRASE/);
    expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('refuses to run without a passphrase instead of hanging', () => {
    const result = ares(['tenant', 'create', '--name', 'Acme Bikes'], { dataDirectory: directory.path });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/ARES_PASSPHRASE/);
  });

  it('changes a passphrase from two lines of standard input', () => {
    const dataDirectory = directory.path;
    ares(['tenant', 'create', '--name', 'Acme Bikes'], { dataDirectory, passphrase: strongPassphrase });
    const changed = ares(['tenant', 'passwd', '--name', 'Acme Bikes'], { dataDirectory, input: `${strongPassphrase}\nviolet lantern orbit cactus\n` });
    expect(changed.status).toBe(0);
    expect(ares(['tenant', 'delete', '--name', 'Acme Bikes'], { dataDirectory, passphrase: 'violet lantern orbit cactus' }).status).toBe(0);
  });
});
