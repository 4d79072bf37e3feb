import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { maximumClosureGraceDays } from '../../../../shared/schemas/relayPrivacy';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useDraft } from '../../hooks/useDraft';

const toDays = (text: string) => (text.trim() === '' ? null : Number(text));
const when = (at: number | null | undefined) => (at ? new Date(at).toLocaleString() : '');

/**
 * The relay's side of privacy: its retention rules (owners and admins) and closing the business
 * account there (owner only; now or after a grace period, cancellable until then).
 */
export function RelayPrivacyCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.portability.relay.status.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.portability.relay.status.queryKey() });
  const rules = status.data?.retention?.rules;
  const [conversationDays, setConversationDays, discardConversationDays] = useDraft(rules?.conversationDays?.toString() ?? '');
  const [collectedDays, setCollectedDays, discardCollectedDays] = useDraft(rules?.collectedEventDays?.toString() ?? '');
  const [attachmentDays, setAttachmentDays, discardAttachmentDays] = useDraft(rules?.attachmentDays?.toString() ?? '');
  const [graceDays, setGraceDays] = useState('30');
  const [confirm, setConfirm] = useState('');
  const saveRetention = useMutation(
    trpc.portability.relay.setRetention.mutationOptions({
      onSuccess: async () => {
        await refresh();
        discardConversationDays();
        discardCollectedDays();
        discardAttachmentDays();
      },
    }),
  );
  const close = useMutation(trpc.portability.relay.closeAccount.mutationOptions({ onSuccess: refresh }));
  const cancel = useMutation(trpc.portability.relay.cancelClosure.mutationOptions({ onSuccess: refresh }));

  const data = status.data;
  if (!data) return null;
  if (!data.connected) {
    return (
      <section className="card privacy-card" aria-labelledby="relay-privacy-title">
        <h2 id="relay-privacy-title">Relay data</h2>
        <p className="hint">This tenant is not connected to a relay. Customer erasures wait here and are sent when it connects.</p>
      </section>
    );
  }
  const closure = data.closure;
  const isOwner = data.role === 'owner';
  const submitRetention = (event: FormEvent) => {
    event.preventDefault();
    saveRetention.mutate({ conversationDays: toDays(conversationDays), collectedEventDays: toDays(collectedDays), attachmentDays: toDays(attachmentDays) });
  };
  const submitClose = (event: FormEvent) => {
    event.preventDefault();
    close.mutate({ graceDays: Number(graceDays), confirm: confirm as 'CLOSE' });
  };
  return (
    <section className="card privacy-card" aria-labelledby="relay-privacy-title">
      <h2 id="relay-privacy-title">Relay data</h2>
      {closure?.state === 'closed' && (
        <p className="error" role="alert">
          The business account was closed on the relay. Its data there is deleted; this desktop keeps its own copy.
        </p>
      )}
      {closure?.state === 'closing' && (
        <p className="error" role="alert">
          The business account on the relay closes on {when(closure.deleteAt)}. Everything stored there is then deleted.
        </p>
      )}
      {data.problem && closure?.state !== 'closed' && <p className="hint">The relay did not answer: {data.problem}</p>}
      {data.retention && (
        <form onSubmit={submitRetention} aria-label="Relay retention">
          <p className="hint">Rules the relay applies every hour. Desktops keep their own copy; leave a field empty to keep everything.</p>
          <Field label="On the relay, delete conversations after this many days without activity" type="number" min={1} value={conversationDays} onChange={(e) => setConversationDays(e.target.value)} />
          <Field
            label="On the relay, drop messages every signed-in device has collected after this many days"
            type="number"
            min={0}
            value={collectedDays}
            onChange={(e) => setCollectedDays(e.target.value)}
          />
          <Field
            label="On the relay, delete attachment details (media id, file name, caption) after this many days"
            type="number"
            min={1}
            value={attachmentDays}
            onChange={(e) => setAttachmentDays(e.target.value)}
          />
          <p className="hint">
            Last run: {data.retention.lastRun ? `${when(data.retention.lastRun.ranAt)} · deleted ${data.retention.lastRun.conversations} conversations, ${data.retention.lastRun.events} events, details of ${data.retention.lastRun.attachments} attachments` : 'never'}
          </p>
          <ErrorMessage error={saveRetention.error} />
          {saveRetention.isSuccess && (
            <p className="success" role="status">
              Relay retention saved and applied.
            </p>
          )}
          <div className="actions">
            <button type="submit" disabled={saveRetention.isPending || data.role === 'agent'}>
              Save relay retention
            </button>
          </div>
        </form>
      )}
      {isOwner && closure?.state === 'closing' && (
        <div className="actions">
          <ErrorMessage error={cancel.error} />
          <button type="button" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
            Keep the account (cancel closing)
          </button>
        </div>
      )}
      {isOwner && closure?.state === 'open' && (
        <form className="privacy-erase" onSubmit={submitClose} aria-label="Close the account on the relay">
          <h3>Close the business account on the relay</h3>
          <p className="hint">
            Deletes the account, its staff, devices, channels and every conversation from the relay. With a grace period (up to {maximumClosureGraceDays} days) it can still be cancelled until then;
            0 deletes it now. Every desktop is told.
          </p>
          <Field label="Grace period in days" type="number" min={0} max={maximumClosureGraceDays} value={graceDays} onChange={(e) => setGraceDays(e.target.value)} />
          <Field label='Type "CLOSE" to close the account' value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" />
          <ErrorMessage error={close.error} />
          <div className="actions">
            <button type="submit" className="destructive" disabled={close.isPending || confirm !== 'CLOSE'}>
              Close account on the relay
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
