import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';

/** Saved replies, typed as /shortcut in the composer. */
export function SavedRepliesEditor() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const saved = useQuery(trpc.liveInbox.savedReplies.queryOptions());
  const [shortcut, setShortcut] = useState('');
  const [text, setText] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.liveInbox.savedReplies.queryKey() });
  const save = useMutation(trpc.liveInbox.saveSavedReply.mutationOptions({ onSuccess: () => (setShortcut(''), setText(''), refresh()) }));
  const remove = useMutation(trpc.liveInbox.deleteSavedReply.mutationOptions({ onSuccess: refresh }));
  return (
    <details className="live-saved-replies">
      <summary>Saved replies ({saved.data?.length ?? 0})</summary>
      <ul>
        {(saved.data ?? []).map((reply) => (
          <li key={reply.id}>
            <code>/{reply.shortcut}</code> {reply.text}{' '}
            <button type="button" className="link destructive-link" onClick={() => remove.mutate({ id: reply.id })}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({ shortcut, text });
        }}
      >
        <input aria-label="Shortcut" placeholder="shortcut" value={shortcut} onChange={(event) => setShortcut(event.target.value)} />
        <textarea aria-label="Text inserted by the shortcut" rows={2} value={text} onChange={(event) => setText(event.target.value)} />
        <ErrorMessage error={save.error ?? remove.error} />
        <button type="submit" className="secondary" disabled={!shortcut.trim() || !text.trim()}>
          Save reply
        </button>
      </form>
    </details>
  );
}
