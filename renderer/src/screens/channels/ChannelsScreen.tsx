import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { ChannelConnectionView, OutboundSendView } from '../../../../shared/schemas/channels';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';

const when = (at: number | null) => (at ? new Date(at).toLocaleString() : 'never');

/** What to paste into Meta's dashboard, and whether webhooks are arriving. */
function ConnectionStatus({ connection }: { connection: ChannelConnectionView }) {
  const arriving = connection.webhooks.lastReceivedAt !== null;
  return (
    <div className="channel-status">
      <p className="hint">In Meta's dashboard (Webhooks), paste these two values, then subscribe to the messages field.</p>
      <label>
        Callback URL
        <input readOnly value={connection.callbackUrl} onFocus={(event) => event.target.select()} aria-label={`${connection.channel} callback URL`} />
      </label>
      <label>
        Verify token
        <input readOnly value={connection.verifyToken} onFocus={(event) => event.target.select()} aria-label={`${connection.channel} verify token`} />
      </label>
      <p role="status">
        {arriving ? `Webhooks arriving: ${connection.webhooks.receivedCount} received, the last ${when(connection.webhooks.lastReceivedAt)}.` : 'No webhook has arrived yet.'}
        {connection.webhooks.rejectedCount > 0 && ` ${connection.webhooks.rejectedCount} rejected (wrong signature: check the app secret).`}
      </p>
      <p className="hint">
        Replies: {connection.outbound.sent} sent, {connection.outbound.queued} waiting, {connection.outbound.failed} failed. Secrets stored:{' '}
        {connection.secretsStored.accessToken ? 'access token ✓' : 'access token missing'}, {connection.secretsStored.appSecret ? 'app secret ✓' : 'app secret missing'}.
      </p>
    </div>
  );
}

function WhatsappForm({ connection }: { connection: ChannelConnectionView | undefined }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = (connection?.settings ?? {}) as { phoneNumberId?: string; businessAccountId?: string; templates?: { name: string; language: string; bodyParameterCount: number }[] };
  const [phoneNumberId, setPhoneNumberId] = useState(settings.phoneNumberId ?? '');
  const [businessAccountId, setBusinessAccountId] = useState(settings.businessAccountId ?? '');
  const [accessToken, setAccessToken] = useState('');
  const [appSecret, setAppSecret] = useState('');
  const [templates, setTemplates] = useState((settings.templates ?? []).map((template) => `${template.name} ${template.language} ${template.bodyParameterCount}`).join('\n'));
  const save = useMutation(
    trpc.channels.configureWhatsapp.mutationOptions({
      onSuccess: () => {
        // Write-only: the secrets leave the form as soon as the relay has them.
        setAccessToken('');
        setAppSecret('');
        void queryClient.invalidateQueries({ queryKey: trpc.channels.status.queryKey() });
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsedTemplates = templates
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, language, count]) => ({ name: name!, language: language ?? 'en_US', bodyParameterCount: Number(count ?? 0), description: '' }));
    save.mutate({ phoneNumberId, businessAccountId, templates: parsedTemplates, ...(accessToken ? { accessToken } : {}), ...(appSecret ? { appSecret } : {}) });
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="whatsapp-title">
      <h2 id="whatsapp-title">WhatsApp Business number</h2>
      {connection && <ConnectionStatus connection={connection} />}
      <Field label="Phone number id" inputMode="numeric" value={phoneNumberId} onChange={(e) => setPhoneNumberId(e.target.value)} required />
      <Field label="WhatsApp Business Account id" inputMode="numeric" value={businessAccountId} onChange={(e) => setBusinessAccountId(e.target.value)} required />
      <Field
        label="Access token"
        type="password"
        autoComplete="off"
        value={accessToken}
        onChange={(e) => setAccessToken(e.target.value)}
        placeholder={connection?.secretsStored.accessToken ? 'Stored — type to replace' : ''}
      />
      <Field label="App secret" type="password" autoComplete="off" value={appSecret} onChange={(e) => setAppSecret(e.target.value)} placeholder={connection?.secretsStored.appSecret ? 'Stored — type to replace' : ''} />
      <label>
        Templates (one per line: name language parameter-count)
        <textarea value={templates} onChange={(e) => setTemplates(e.target.value)} rows={3} placeholder="order_update en_US 1" />
      </label>
      <ErrorMessage error={save.error} />
      <button type="submit" disabled={save.isPending}>
        {connection ? 'Save WhatsApp settings' : 'Connect WhatsApp'}
      </button>
    </form>
  );
}

function MessengerForm({ connection }: { connection: ChannelConnectionView | undefined }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [pageId, setPageId] = useState(String((connection?.settings as { pageId?: string } | undefined)?.pageId ?? ''));
  const [pageAccessToken, setPageAccessToken] = useState('');
  const [appSecret, setAppSecret] = useState('');
  const save = useMutation(
    trpc.channels.configureMessenger.mutationOptions({
      onSuccess: () => {
        setPageAccessToken('');
        setAppSecret('');
        void queryClient.invalidateQueries({ queryKey: trpc.channels.status.queryKey() });
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ pageId, ...(pageAccessToken ? { pageAccessToken } : {}), ...(appSecret ? { appSecret } : {}) });
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="messenger-title">
      <h2 id="messenger-title">Facebook Page (Messenger)</h2>
      {connection && <ConnectionStatus connection={connection} />}
      <Field label="Page id" inputMode="numeric" value={pageId} onChange={(e) => setPageId(e.target.value)} required />
      <Field
        label="Page access token"
        type="password"
        autoComplete="off"
        value={pageAccessToken}
        onChange={(e) => setPageAccessToken(e.target.value)}
        placeholder={connection?.secretsStored.accessToken ? 'Stored — type to replace' : ''}
      />
      <Field label="Messenger app secret" type="password" autoComplete="off" value={appSecret} onChange={(e) => setAppSecret(e.target.value)} placeholder={connection?.secretsStored.appSecret ? 'Stored — type to replace' : ''} />
      <ErrorMessage error={save.error} />
      <button type="submit" disabled={save.isPending}>
        {connection ? 'Save Messenger settings' : 'Connect Messenger'}
      </button>
    </form>
  );
}

function FailedSends({ sends }: { sends: OutboundSendView[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const retry = useMutation(trpc.channels.retrySend.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.channels.status.queryKey() }) }));
  const failed = sends.filter((send) => send.status === 'failed');
  if (failed.length === 0) return null;
  return (
    <section className="card" aria-labelledby="failed-sends-title">
      <h2 id="failed-sends-title">Replies not delivered</h2>
      <ul className="channel-failures">
        {failed.map((send) => (
          <li key={send.messageId}>
            <span>
              {send.channel === 'whatsapp' ? 'WhatsApp' : 'Messenger'} · {send.conversationId.split(':').at(-1)} · {send.lastError ?? 'no reason given'}
            </span>
            <button type="button" onClick={() => retry.mutate({ messageId: send.messageId })} disabled={retry.isPending}>
              Retry
            </button>
          </li>
        ))}
      </ul>
      <ErrorMessage error={retry.error} />
    </section>
  );
}

/** Connect WhatsApp and Messenger to this tenant's relay; owners and admins only (the relay checks). */
export function ChannelsScreen() {
  const trpc = useTRPC();
  const relay = useQuery(trpc.sync.status.queryOptions());
  const connected = relay.data?.connected === true;
  const status = useQuery({ ...trpc.channels.status.queryOptions(), refetchInterval: 5000, enabled: connected });
  if (relay.isPending) return <p>Loading channels…</p>;
  if (relay.error) return <ErrorMessage error={relay.error} />;
  if (!connected) {
    return (
      <p className="notice" role="status">
        WhatsApp and Messenger messages reach Ares through your relay. Connect this tenant to a relay under <strong>Relay</strong> first; then WhatsApp and Messenger can be connected here.
      </p>
    );
  }
  if (status.isPending) return <p>Loading channels…</p>;
  if (status.error) return <ErrorMessage error={status.error} />;
  const byChannel = (channel: 'whatsapp' | 'messenger') => status.data.connections.find((connection) => connection.channel === channel);
  return (
    <div className="channels">
      <WhatsappForm key={`whatsapp-${byChannel('whatsapp')?.updatedAt ?? 0}`} connection={byChannel('whatsapp')} />
      <MessengerForm key={`messenger-${byChannel('messenger')?.updatedAt ?? 0}`} connection={byChannel('messenger')} />
      <FailedSends sends={status.data.outbound} />
    </div>
  );
}
