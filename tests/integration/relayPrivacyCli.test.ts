import { describe, expect, it } from 'vitest';
import { useCliWithRelay } from './aresCli.js';

const cli = useCliWithRelay('relay-privacy');
const { ares } = cli;

// Each command unlocks the tenant with the production KDF and starts tsx: slow, so generous timeouts.
describe('the relay privacy commands of the ares CLI', { timeout: 240_000 }, () => {
  it('sets relay retention, closes the account with a grace period and cancels it, with --json', async () => {
    await ares('tenant', 'create', '--name', 'Bakery');
    await ares('relay', 'register', '--tenant', 'Bakery', '--url', cli.relay.url, '--business', 'Bakery', '--owner', 'Olive Owner', '--email', 'olive@bakery.test');
    expect(await ares('relay', 'retention', '--tenant', 'Bakery', '--conversation-days', '30', '--collected-days', '7', '--attachment-days', '14')).toMatchObject({
      rules: { conversationDays: 30, collectedEventDays: 7, attachmentDays: 14 },
      lastRun: { conversations: 0 },
    });
    const closing = (await ares('relay', 'close-account', '--tenant', 'Bakery', '--grace-days', '5', '--confirm', 'CLOSE')) as { state: string; deleteAt: number };
    expect(closing.state).toBe('closing');
    expect(closing.deleteAt - Date.now()).toBeGreaterThan(4.9 * 24 * 3600 * 1000);
    expect(await ares('relay', 'account', '--tenant', 'Bakery')).toMatchObject({ connected: true, role: 'owner', closure: { state: 'closing' } });
    expect(await ares('relay', 'cancel-close', '--tenant', 'Bakery')).toMatchObject({ state: 'open' });
    const refused = await cli.failing(['relay', 'close-account', '--tenant', 'Bakery', '--grace-days', '31', '--confirm', 'CLOSE']);
    expect(refused).toMatchObject({ code: 1 });
    expect(refused.stderr).toMatch(/at most 30 days/);
  });
});
