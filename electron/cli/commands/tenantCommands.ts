import type { Command } from 'commander';
import { printResult, withCore, type GlobalOptions } from '../cliContext.js';
import { readNewPassphrase, readTenantPassphrase } from '../passphraseInput.js';

export function registerTenantCommands(program: Command, globals: () => GlobalOptions): void {
  const tenant = program.command('tenant').description('create, list, rekey and delete tenants on this device');

  tenant
    .command('create')
    .description('create a tenant; the passphrase comes from ARES_PASSPHRASE or standard input')
    .requiredOption('--name <name>', 'business name')
    .action(async (options: { name: string }) => {
      const passphrase = await readTenantPassphrase();
      await withCore(globals(), async (caller) => {
        await caller.vault.createTenant({ name: options.name, passphrase });
      });
      printResult(globals(), { created: options.name.trim() }, `Created tenant "${options.name.trim()}".`);
    });

  tenant
    .command('list')
    .description('list the tenants on this device (names only)')
    .action(async () => {
      const tenants = await withCore(globals(), (caller) => caller.vault.listTenants());
      const text = tenants.length === 0 ? 'No tenants yet. Create one with: ares tenant create --name NAME' : tenants.map((t) => t.name).join('\n');
      printResult(globals(), tenants, text);
    });

  tenant
    .command('passwd')
    .description('change a tenant passphrase (ARES_PASSPHRASE and ARES_NEW_PASSPHRASE, or two lines on standard input)')
    .requiredOption('--name <name>', 'tenant name')
    .action(async (options: { name: string }) => {
      const currentPassphrase = await readTenantPassphrase();
      const newPassphrase = await readNewPassphrase();
      await withCore(globals(), async (caller) => {
        await caller.vault.unlock({ name: options.name, passphrase: currentPassphrase });
        await caller.vault.changePassphrase({ currentPassphrase, newPassphrase });
      });
      printResult(globals(), { changed: options.name }, `Changed the passphrase of "${options.name}".`);
    });

  tenant
    .command('delete')
    .description('delete a tenant and everything in it; asks for its passphrase')
    .requiredOption('--name <name>', 'tenant name')
    .action(async (options: { name: string }) => {
      const passphrase = await readTenantPassphrase();
      await withCore(globals(), (caller) =>
        caller.vault.deleteTenant({ name: options.name, confirmName: options.name, passphrase }),
      );
      printResult(globals(), { deleted: options.name }, `Deleted tenant "${options.name}".`);
    });
}
