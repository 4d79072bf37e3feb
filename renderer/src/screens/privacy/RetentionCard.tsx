import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useDraft } from '../../hooks/useDraft';

const toDays = (text: string) => (text.trim() === '' ? null : Number(text));

/** Per-tenant retention rules, applied daily while the tenant is unlocked. */
export function RetentionCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.portability.retention.queryOptions());
  const rules = status.data?.rules;
  const [conversationDays, setConversationDays, discardConversationDays] = useDraft(rules?.conversationDays?.toString() ?? '');
  const [attachmentDays, setAttachmentDays, discardAttachmentDays] = useDraft(rules?.attachmentDays?.toString() ?? '');
  const save = useMutation(
    trpc.portability.setRetention.mutationOptions({
      onSuccess: (next) => {
        queryClient.setQueryData(trpc.portability.retention.queryKey(), next);
        // A run that deleted something is in the privacy log.
        void queryClient.invalidateQueries({ queryKey: trpc.portability.audit.queryKey() });
        discardConversationDays();
        discardAttachmentDays();
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ conversationDays: toDays(conversationDays), attachmentDays: toDays(attachmentDays) });
  };
  const last = status.data?.lastRunAt ? new Date(status.data.lastRunAt).toLocaleString() : 'never';
  return (
    <form className="card privacy-card" onSubmit={submit} aria-labelledby="retention-title">
      <h2 id="retention-title">Retention</h2>
      <p className="hint">Old data is deleted automatically once a day while this tenant is unlocked. Leave a field empty to keep everything.</p>
      <Field label="Delete conversations after this many days without activity" type="number" min={1} value={conversationDays} onChange={(e) => setConversationDays(e.target.value)} />
      <Field label="Delete attachment details after this many days" type="number" min={1} value={attachmentDays} onChange={(e) => setAttachmentDays(e.target.value)} />
      <p className="hint">
        Ares never downloads the photos, documents or voice messages customers send on WhatsApp or Messenger; it keeps a placeholder with the media id, file name and caption. This rule deletes
        those details from older messages and leaves only the kind (for example "[image]").
      </p>
      <ErrorMessage error={status.error ?? save.error} />
      <p className="hint">
        Last run: {last}
        {status.data?.lastDeleted ? ` · deleted ${status.data.lastDeleted.conversations} conversations, ${status.data.lastDeleted.messages} messages, details of ${status.data.lastDeleted.attachments} attachments` : ''}
      </p>
      {save.isSuccess && (
        <p className="success" role="status">
          Retention saved and applied.
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          Save retention
        </button>
      </div>
    </form>
  );
}
