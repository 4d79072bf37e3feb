import { describe, expect, it } from 'vitest';
import { useCliWithRelay } from './aresCli.js';
import { startVisitor, waitFor } from './relayTestSupport.js';

const cli = useCliWithRelay('relay');
const { ares } = cli;

// Each command unlocks the tenant with the production KDF and starts tsx: slow, so generous timeouts.
describe('the sync commands of the ares CLI', { timeout: 240_000 }, () => {
  it('registers at a relay, lists a visitor conversation, replies, shows status and disconnects', async () => {
    await ares('tenant', 'create', '--name', 'Bakery');
    const registered = (await ares('relay', 'register', '--tenant', 'Bakery', '--url', cli.relay.url, '--business', 'Bakery', '--owner', 'Olive Owner', '--email', 'olive@bakery.test')) as {
      connected: boolean;
      widgetSnippet: string;
      sync: { state: string };
    };
    expect(registered.connected).toBe(true);
    expect(registered.sync.state).toBe('online');
    const widgetKey = /data-ares-widget="([^"]+)"/.exec(registered.widgetSnippet)![1]!;
    const visitor = await startVisitor(cli.relay.url, widgetKey);
    await visitor.send('Are you open on Sunday?');
    const conversations = (await ares('conversations', 'list', '--tenant', 'Bakery')) as { conversationId: string; lastMessagePreview: string }[];
    expect(conversations).toEqual([expect.objectContaining({ conversationId: visitor.conversationId, lastMessagePreview: 'Are you open on Sunday?' })]);
    const reply = (await ares('reply', '--tenant', 'Bakery', '--conversation', visitor.conversationId, '--text', 'Yes, 8 to 12.')) as { pendingOutbox: number };
    expect(reply.pendingOutbox).toBe(0);
    await waitFor(async () => (await visitor.messages()).some((message) => message.text === 'Yes, 8 to 12.'), 'the reply at the visitor');
    const status = (await ares('relay', 'status', '--tenant', 'Bakery')) as { connected: boolean; sync: { pendingOutbox: number; cursor: { seq: number } } };
    expect(status).toMatchObject({ connected: true, sync: { pendingOutbox: 0, cursor: { seq: 2 } } });
    expect(await ares('relay', 'disconnect', '--tenant', 'Bakery')).toMatchObject({ connected: false });
  });

  it('prints a readable error and exits non-zero for an insecure relay address', async () => {
    await ares('tenant', 'create', '--name', 'Shop');
    const failure = await cli.failing(['relay', 'connect', '--tenant', 'Shop', '--url', 'http://relay.example.com', '--email', 'a@b.test']);
    expect(failure).toMatchObject({ code: 1 });
    expect(failure.stderr).toMatch(/^ares: The relay address must use HTTPS .*\(RELAY_URL_INSECURE\)\n$/);
  });
});
