import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';

const statusLabels: Record<string, string> = { ai: 'AI', needs_human: 'Needs a person', human: 'Staff', resolved: 'Resolved' };
const kindLabels: Record<string, string> = { customer: 'Customer', staff: 'Staff', ai: 'AI', auto: 'Automatic reply', note: 'Note', system: 'Event' };

function Conversation({ conversationId }: { conversationId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const messages = useQuery(trpc.inbox.messages.queryOptions({ conversationId }));
  const [text, setText] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.inbox.pathKey() });
  const reply = useMutation(trpc.inbox.reply.mutationOptions({ onSuccess: () => (setText(''), refresh()) }));
  const takeOver = useMutation(trpc.inbox.takeOver.mutationOptions({ onSuccess: refresh }));
  const handBack = useMutation(trpc.inbox.handBack.mutationOptions({ onSuccess: refresh }));
  const resolve = useMutation(trpc.inbox.resolve.mutationOptions({ onSuccess: refresh }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) reply.mutate({ conversationId, text });
  };
  return (
    <section className="inbox-conversation" aria-label="Conversation">
      <div className="actions inbox-actions">
        <button type="button" className="secondary" onClick={() => takeOver.mutate({ conversationId })} disabled={takeOver.isPending}>
          Take over
        </button>
        <button type="button" className="secondary" onClick={() => handBack.mutate({ conversationId })} disabled={handBack.isPending}>
          Hand back to AI
        </button>
        <button type="button" className="secondary" onClick={() => resolve.mutate({ conversationId })} disabled={resolve.isPending}>
          Resolve
        </button>
      </div>
      {messages.isError && <ErrorMessage error={messages.error} />}
      <ol className="inbox-messages" aria-label="Messages">
        {messages.data?.map((message) => (
          <li key={message.eventId} className="inbox-message" data-kind={message.kind} data-delivery={message.delivery}>
            <span className="inbox-author">
              {kindLabels[message.kind]}
              {message.authorName ? ` · ${message.authorName}` : ''}
              {message.delivery === 'pending' ? ' · sending…' : message.delivery === 'rejected' ? ' · not applied' : ''}
            </span>
            <span className="inbox-text">{message.text}</span>
          </li>
        ))}
      </ol>
      <form className="inbox-reply" onSubmit={submit}>
        <label htmlFor="inbox-reply-text">Reply</label>
        <textarea id="inbox-reply-text" value={text} onChange={(e) => setText(e.target.value)} rows={2} maxLength={4000} />
        <ErrorMessage error={reply.error ?? takeOver.error ?? handBack.error ?? resolve.error} />
        <div className="actions">
          <button type="submit" disabled={reply.isPending || !text.trim()}>
            Send reply
          </button>
        </div>
      </form>
    </section>
  );
}

/** A simple inbox: conversations synced from the relay, their messages, and staff replies. */
export function Inbox() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const conversations = useQuery(trpc.inbox.conversations.queryOptions());
  const [selected, setSelected] = useState<string | null>(null);
  useSubscription(
    trpc.inbox.onChange.subscriptionOptions(undefined, {
      onData: () => void queryClient.invalidateQueries({ queryKey: trpc.inbox.pathKey() }),
    }),
  );
  if (conversations.isPending) return <p className="hint">Loading…</p>;
  if (conversations.isError) return <ErrorMessage error={conversations.error} />;
  const list = conversations.data;
  const current = selected ?? list[0]?.conversationId ?? null;
  if (list.length === 0) {
    return <p className="hint">No conversations yet. Connect a relay under "Relay" and add the chat widget to your website.</p>;
  }
  return (
    <div className="inbox">
      <ul className="inbox-list" aria-label="Conversations">
        {list.map((conversation) => (
          <li key={conversation.conversationId}>
            <button type="button" aria-current={conversation.conversationId === current ? 'true' : undefined} onClick={() => setSelected(conversation.conversationId)}>
              <span className="inbox-customer">{conversation.customerLabel || conversation.conversationId}</span>
              <span className="badge">
                {statusLabels[conversation.status]}
                {conversation.holder ? ` · ${conversation.holder}` : ''}
              </span>
              <span className="inbox-preview">{conversation.lastMessagePreview}</span>
            </button>
          </li>
        ))}
      </ul>
      {current && <Conversation key={current} conversationId={current} />}
    </div>
  );
}
