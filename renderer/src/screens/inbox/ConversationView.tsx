import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Composer } from './Composer';
import { channelLabels } from './ConversationList';
import { MessageItem } from './MessageItem';
import { StatusBadge } from './StatusBadge';

const pageSize = 300;

/** Is the key press meant for a text field (shortcuts must not steal typing)? */
const typing = (target: EventTarget | null) => target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/** One conversation: details, full history (older pages on demand), actions with shortcuts, composer. */
export function ConversationView({ conversationId }: { conversationId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const details = useQuery(trpc.liveInbox.conversation.queryOptions({ conversationId }));
  const latest = useQuery(trpc.liveInbox.messages.queryOptions({ conversationId, limit: pageSize }));
  const [olderCursors, setOlderCursors] = useState<number[]>([]);
  const older = useQueries({ queries: olderCursors.map((beforeSeq) => trpc.liveInbox.messages.queryOptions({ conversationId, beforeSeq, limit: pageSize })) });
  const colleagues = useQuery(trpc.liveInbox.colleagues.queryOptions());
  const [noteMode, setNoteMode] = useState(false);
  const [assignee, setAssignee] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.liveInbox.pathKey() });
  const options = { onSuccess: refresh };
  const takeOver = useMutation(trpc.liveInbox.takeOver.mutationOptions(options));
  const handBack = useMutation(trpc.liveInbox.handBack.mutationOptions(options));
  const resolve = useMutation(trpc.liveInbox.resolve.mutationOptions(options));
  const reopen = useMutation(trpc.liveInbox.reopen.mutationOptions(options));
  const assign = useMutation(trpc.liveInbox.assign.mutationOptions(options));
  const markRead = useMutation(trpc.liveInbox.markRead.mutationOptions(options));
  const history = useRef<HTMLOListElement>(null);

  const unread = details.data?.unread ?? 0;
  useEffect(() => {
    if (unread > 0) markRead.mutate({ conversationId });
  }, [unread, conversationId]);
  const newest = latest.data?.messages.at(-1)?.eventId;
  useEffect(() => {
    if (olderCursors.length === 0) history.current?.scrollTo({ top: history.current.scrollHeight });
  }, [newest, olderCursors.length]);

  const id = { conversationId };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const actions: Record<string, () => void> = {
        t: () => takeOver.mutate(id),
        h: () => handBack.mutate(id),
        r: () => resolve.mutate(id),
        o: () => reopen.mutate(id),
        n: () => setNoteMode((current) => !current),
      };
      const action = actions[event.key.toLowerCase()];
      if (action) {
        event.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }); // re-bound each render: the mutations are recreated per render

  if (details.isPending) return <p className="hint">Loading…</p>;
  if (details.isError) return <ErrorMessage error={details.error} />;
  const conversation = details.data;
  const olderPages = [...older].reverse();
  const oldestCursor = (olderPages[0]?.data ?? latest.data)?.olderBeforeSeq ?? null;
  const messages = [...olderPages.flatMap((page) => page.data?.messages ?? []), ...(latest.data?.messages ?? [])];
  const status = conversation.status;
  return (
    <section className="inbox-conversation live-conversation" aria-label="Conversation">
      <header className="live-conversation-header">
        <div>
          <h2>{conversation.customerLabel || conversation.conversationId}</h2>
          <p className="hint">
            {conversation.channel ? channelLabels[conversation.channel] : 'Unknown channel'} · {conversation.messageCount} message{conversation.messageCount === 1 ? '' : 's'} · id {conversation.conversationId}
          </p>
        </div>
        <StatusBadge status={status} holder={conversation.holder} />
      </header>
      <div className="actions inbox-actions" role="toolbar" aria-label="Conversation actions">
        {status !== 'human' && (
          <button type="button" className="secondary" aria-keyshortcuts="Alt+T" onClick={() => takeOver.mutate(id)} disabled={takeOver.isPending}>
            Take over
          </button>
        )}
        {status !== 'ai' && status !== 'resolved' && (
          <button type="button" className="secondary" aria-keyshortcuts="Alt+H" onClick={() => handBack.mutate(id)} disabled={handBack.isPending}>
            Hand back to AI
          </button>
        )}
        {status !== 'resolved' ? (
          <button type="button" className="secondary" aria-keyshortcuts="Alt+R" onClick={() => resolve.mutate(id)} disabled={resolve.isPending}>
            Resolve
          </button>
        ) : (
          <button type="button" className="secondary" aria-keyshortcuts="Alt+O" onClick={() => reopen.mutate(id)} disabled={reopen.isPending}>
            Reopen
          </button>
        )}
        <form
          className="live-assign"
          onSubmit={(event) => {
            event.preventDefault();
            if (assignee.trim()) assign.mutate({ conversationId, assigneeName: assignee.trim() }, { onSuccess: () => setAssignee('') });
          }}
        >
          <input list="live-colleagues" aria-label="Assign to" placeholder="Assign to…" value={assignee} onChange={(event) => setAssignee(event.target.value)} />
          <datalist id="live-colleagues">
            {(colleagues.data ?? []).map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <button type="submit" className="secondary" disabled={!assignee.trim() || assign.isPending}>
            Assign
          </button>
        </form>
      </div>
      <ErrorMessage error={takeOver.error ?? handBack.error ?? resolve.error ?? reopen.error ?? assign.error} />
      {latest.isError && <ErrorMessage error={latest.error} />}
      {oldestCursor !== null && (
        <button type="button" className="link" onClick={() => setOlderCursors((current) => [...current, oldestCursor])}>
          Load earlier messages
        </button>
      )}
      <ol ref={history} className="inbox-messages" aria-label="Messages">
        {messages.map((message) => (
          <MessageItem key={message.eventId} message={message} />
        ))}
      </ol>
      <Composer key={conversationId} details={conversation} noteMode={noteMode} onNoteModeChange={setNoteMode} />
      <p className="hint">Shortcuts: Alt+T take over · Alt+H hand back · Alt+R resolve · Alt+O reopen · Alt+N note/reply · J/K next/previous · Ctrl+Enter send</p>
    </section>
  );
}

export { typing };
