import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AresCore } from '../core/aresCore.js';
import { strongPassphrase, temporaryDirectory, testKdfParameters } from '../vault/testSupport.js';
import { seedTenant } from './testing/seedTenant.js';

const backupPassphrase = 'sealed amber lighthouse meadow';

/** Runs the real `ares` entry point, as a user or a script would. */
function ares(args: string[], options: { dataDirectory: string; passphrase?: string; backupPassphrase?: string; input?: string }) {
  const environment: NodeJS.ProcessEnv = { ...process.env, ARES_DATA_DIR: options.dataDirectory };
  delete environment.ARES_PASSPHRASE;
  delete environment.ARES_BACKUP_PASSPHRASE;
  if (options.passphrase !== undefined) environment.ARES_PASSPHRASE = options.passphrase;
  if (options.backupPassphrase !== undefined) environment.ARES_BACKUP_PASSPHRASE = options.backupPassphrase;
  const result = spawnSync(process.execPath, ['bin/ares.mjs', ...args], { env: environment, input: options.input ?? '', encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('ares export, restore and customer commands', () => {
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  let dataDirectory: string;
  beforeEach(async () => {
    directory = await temporaryDirectory();
    dataDirectory = join(directory.path, 'data');
    const core = new AresCore({ dataDirectory, kdfParameters: testKdfParameters });
    await core.createTenant('Acme Bikes', strongPassphrase);
    seedTenant(core.requireSession().database, { conversations: 5, messagesPerConversation: 2, documents: 2, documentBytes: 2000, products: 3, now: Date.now() });
    await core.dispose();
  });
  afterEach(() => directory.remove());

  it('exports a zip and an encrypted backup, and restores each into a new tenant', () => {
    const archive = join(directory.path, 'acme.zip');
    const exported = ares(['--json', 'export', '--tenant', 'Acme Bikes', '--out', archive], { dataDirectory, passphrase: strongPassphrase });
    expect(exported.stderr).toBe('');
    expect(JSON.parse(exported.stdout)).toMatchObject({ path: archive, counts: { conversations: 5, messages: 15, sources: 3 } });

    const backup = join(directory.path, 'acme.aresbackup');
    // Both passphrases can be piped: the tenant's on line 1, the backup's on line 2.
    const sealed = ares(['export', '--tenant', 'Acme Bikes', '--out', backup, '--encrypt'], { dataDirectory, input: `${strongPassphrase}\n${backupPassphrase}\n` });
    expect(sealed.status).toBe(0);
    expect(sealed.stdout).toMatch(/encrypted/);

    const fromZip = ares(['restore', '--in', archive, '--name', 'Acme From Zip'], { dataDirectory, passphrase: strongPassphrase });
    expect(fromZip.stdout).toMatch(/Restored into the new tenant "Acme From Zip": .*15 messages/);
    const wrong = ares(['restore', '--in', backup, '--name', 'Acme Wrong'], { dataDirectory, passphrase: strongPassphrase, backupPassphrase: 'some other words here' });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/backup passphrase is not correct.*WRONG_BACKUP_PASSPHRASE/);
    const fromBackup = ares(['restore', '--in', backup, '--name', 'Acme From Backup'], { dataDirectory, passphrase: strongPassphrase, backupPassphrase });
    expect(fromBackup.status).toBe(0);
    const tenants = JSON.parse(ares(['tenant', 'list', '--json'], { dataDirectory }).stdout) as { name: string }[];
    expect(tenants.map((tenant) => tenant.name)).toEqual(['Acme Bikes', 'Acme From Backup', 'Acme From Zip']);
  });

  it('finds, exports and erases a customer', async () => {
    const found = JSON.parse(ares(['--json', 'customer', 'find', '--tenant', 'Acme Bikes', '+15550000003'], { dataDirectory, passphrase: strongPassphrase }).stdout) as { customerId: string; displayName: string }[];
    expect(found).toHaveLength(1);
    const customerId = found[0]!.customerId;
    const out = join(directory.path, 'customer.csv');
    expect(ares(['customer', 'export', '--tenant', 'Acme Bikes', '--id', customerId, '--format', 'csv', '--out', out], { dataDirectory, passphrase: strongPassphrase }).status).toBe(0);
    const csv = await readFile(out, 'utf8');
    expect(csv).toContain('+15550000003');
    expect(csv).not.toContain('Staffer Dana');
    expect(csv).not.toContain('Private note');
    const refused = ares(['customer', 'erase', '--tenant', 'Acme Bikes', '--id', customerId, '--confirm', 'yes'], { dataDirectory, passphrase: strongPassphrase });
    expect(refused.stderr).toMatch(/Type ERASE to confirm/);
    const erased = ares(['customer', 'erase', '--tenant', 'Acme Bikes', '--id', customerId, '--confirm', 'ERASE'], { dataDirectory, passphrase: strongPassphrase });
    expect(erased.stdout).toMatch(/Erased 1 conversations and 3 messages/);
    expect(ares(['customer', 'find', '--tenant', 'Acme Bikes', '+15550000003'], { dataDirectory, passphrase: strongPassphrase }).stdout).toMatch(/No customer matches/);

    const log = ares(['privacy-log', '--tenant', 'Acme Bikes'], { dataDirectory, passphrase: strongPassphrase }).stdout.split('\n');
    expect(log[0]).toMatch(/A customer erased \(erasureId: [0-9a-f-]+, conversations: 1, messages: 3, /);
    expect(log[1]).toMatch(/A customer's data exported \(customerId: customer-\w+, conversations: 1, format: csv\)/);
    expect(log.join('\n')).not.toContain('+15550000003');
  });

  it('shows and sets the retention rules, applying them at once and keeping a rule left out', () => {
    const retention = (...options: string[]) => ares(['--json', 'retention', '--tenant', 'Acme Bikes', ...options], { dataDirectory, passphrase: strongPassphrase });
    expect(JSON.parse(retention().stdout)).toMatchObject({ rules: { conversationDays: null, attachmentDays: null } });
    const set = JSON.parse(retention('--conversation-days', '400', '--attachment-days', '30').stdout) as { rules: unknown; lastRunAt: number | null; lastDeleted: unknown };
    expect(set).toMatchObject({ rules: { conversationDays: 400, attachmentDays: 30 }, lastDeleted: { conversations: 0 } });
    expect(set.lastRunAt).toEqual(expect.any(Number));
    expect(JSON.parse(retention('--attachment-days', 'off').stdout)).toMatchObject({ rules: { conversationDays: 400, attachmentDays: null } });
    const refused = retention('--conversation-days', 'soon');
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stderr)).toMatchObject({ error: { code: 'INVALID_INPUT', message: '"soon" is not a number of days (or "off").' } });
  });
});
