import { describe, expect, it } from 'vitest';
import { useCliWithRelay } from './aresCli.js';
import { startVisitor } from './relayTestSupport.js';

const cli = useCliWithRelay('inbox');
const { ares } = cli;

// Each command starts tsx and unlocks with the production KDF: slow, so a generous timeout.
describe('the inbox commands of the ares CLI', { timeout: 240_000 }, () => {
  it('lists, takes over, notes, resolves, reopens and hands back through the same router as the app', async () => {
    await ares('tenant', 'create', '--name', 'Bakery');
    const registered = (await ares('relay', 'register', '--tenant', 'Bakery', '--url', cli.relay.url, '--business', 'Bakery', '--owner', 'Olive Owner', '--email', 'olive@bakery.test')) as { widgetSnippet: string };
    const widgetKey = /data-ares-widget="([^"]+)"/.exec(registered.widgetSnippet)![1]!;
    const visitor = await startVisitor(cli.relay.url, widgetKey);
    await visitor.send('Do you sell rye bread?');
    const page = (await ares('inbox', 'list', '--tenant', 'Bakery', '--search', 'rye')) as { total: number; rows: { conversationId: string; unread: number }[] };
    expect(page).toMatchObject({ total: 1, rows: [{ conversationId: visitor.conversationId, unread: 1 }] });
    const id = ['--tenant', 'Bakery', '--conversation', visitor.conversationId];
    expect(await ares('inbox', 'take-over', ...id)).toMatchObject({ state: { status: 'human', holder: 'Olive Owner' } });
    await ares('inbox', 'note', ...id, '--text', 'Regular customer');
    expect(await ares('inbox', 'resolve', ...id)).toMatchObject({ state: { status: 'resolved' } });
    expect(await ares('inbox', 'reopen', ...id)).toMatchObject({ state: { status: 'needs_human' } });
    expect(await ares('inbox', 'hand-back', ...id)).toMatchObject({ state: { status: 'ai' } });
    expect(await ares('inbox', 'list', '--tenant', 'Bakery', '--filter', 'resolved')).toMatchObject({ total: 0 });
    const texts = (await visitor.messages()).map((message) => message.text);
    expect(texts).toContain('You are talking to our automated assistant again. Ask me anything.');
    expect(texts).not.toContain('Regular customer');
  });
});
