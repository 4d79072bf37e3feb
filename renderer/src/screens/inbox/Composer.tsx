import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ConversationDetails } from '../../../../shared/schemas/liveInbox';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { TemplatePicker } from './TemplatePicker';
import { WhatsappWindow } from './WhatsappWindow';

/**
 * Reply or private note. `/shortcut` inserts a saved reply; the text is kept as a draft per
 * conversation (saved a moment after typing stops), so switching conversations loses nothing.
 */
export function Composer({ details, noteMode, onNoteModeChange }: { details: ConversationDetails; noteMode: boolean; onNoteModeChange: (note: boolean) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const conversationId = details.conversationId;
  const [text, setText] = useState(details.draft);
  const savedReplies = useQuery(trpc.liveInbox.savedReplies.queryOptions());
  const saveDraft = useMutation(trpc.liveInbox.saveDraft.mutationOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.liveInbox.pathKey() });
  const reply = useMutation(trpc.liveInbox.reply.mutationOptions({ onSuccess: () => (setText(''), refresh()) }));
  const note = useMutation(trpc.liveInbox.note.mutationOptions({ onSuccess: () => (setText(''), saveDraft.mutate({ conversationId, text: '' }), refresh()) }));
  const lastSaved = useRef(details.draft);

  useEffect(() => {
    if (text === lastSaved.current) return;
    const timer = setTimeout(() => {
      lastSaved.current = text;
      saveDraft.mutate({ conversationId, text });
    }, 600);
    return () => clearTimeout(timer);
  }, [text, conversationId]);

  const slash = /(?:^|\s)\/([\p{L}\p{N}_-]*)$/u.exec(text);
  const suggestions = slash ? (savedReplies.data ?? []).filter((saved) => saved.shortcut.toLowerCase().startsWith(slash[1]!.toLowerCase())).slice(0, 6) : [];
  const insert = (savedText: string) => setText(text.slice(0, text.length - slash![1]!.length - 1) + savedText);

  const windowClosed = details.whatsappWindowClosesAt !== null && details.whatsappWindowClosesAt < Date.now();
  const send = () => {
    if (!text.trim()) return;
    if (noteMode) note.mutate({ conversationId, text });
    else reply.mutate({ conversationId, text });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      send();
    } else if (event.key === 'Tab' && suggestions[0]) {
      event.preventDefault();
      insert(suggestions[0].text);
    }
  };
  return (
    <>
    {/* A form of its own, beside the composer's (forms do not nest). */}
    {details.channel === 'whatsapp' && windowClosed && !noteMode && <TemplatePicker conversationId={conversationId} />}
    <form className="inbox-reply live-composer" data-note={noteMode} onSubmit={submit}>
      {details.channel === 'whatsapp' && <WhatsappWindow closesAt={details.whatsappWindowClosesAt} />}
      <div className="live-composer-mode" role="group" aria-label="Composer mode">
        <button type="button" className={noteMode ? 'secondary' : ''} aria-pressed={!noteMode} onClick={() => onNoteModeChange(false)}>
          Reply to customer
        </button>
        <button type="button" className={noteMode ? '' : 'secondary'} aria-pressed={noteMode} onClick={() => onNoteModeChange(true)}>
          Private note
        </button>
      </div>
      <label htmlFor="inbox-reply-text">{noteMode ? 'Private note' : 'Reply'}</label>
      <textarea
        id="inbox-reply-text"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        rows={3}
        maxLength={4000}
        placeholder={noteMode ? 'Only staff see notes.' : 'Type / for saved replies. Ctrl+Enter sends.'}
      />
      {suggestions.length > 0 && (
        <ul className="live-composer-suggestions" aria-label="Saved replies">
          {suggestions.map((saved) => (
            <li key={saved.id}>
              <button type="button" className="link" onClick={() => insert(saved.text)}>
                /{saved.shortcut} — {saved.text.slice(0, 80)}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={reply.error ?? note.error} />
      <div className="actions">
        <button type="submit" disabled={reply.isPending || note.isPending || !text.trim() || (!noteMode && windowClosed)}>
          {noteMode ? 'Add note' : 'Send reply'}
        </button>
      </div>
    </form>
    </>
  );
}
