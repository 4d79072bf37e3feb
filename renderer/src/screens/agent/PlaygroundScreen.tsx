import { useMutation } from '@tanstack/react-query';
import { skipToken } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { AgentStreamEvent, PlaygroundTurn } from '../../../../shared/schemas/agent';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { DecisionDetails } from './DecisionDetails';

const roleLabels: Record<PlaygroundTurn['role'], string> = { customer: 'Customer', ai: 'Assistant', staff: 'Staff' };

/** Chat with the agent as a customer would, offline, and see the decision behind each reply. */
export function PlaygroundScreen() {
  const trpc = useTRPC();
  const inputId = useId();
  const [conversationId, setConversationId] = useState<string | null>(null);
  const [turns, setTurns] = useState<PlaygroundTurn[]>([]);
  const [text, setText] = useState('');
  const [pending, setPending] = useState<{ conversationId: string; text: string } | null>(null);
  const [streamed, setStreamed] = useState('');
  const [streamError, setStreamError] = useState<unknown>(null);
  const start = useMutation(
    trpc.agent.playground.start.mutationOptions({
      onSuccess: (conversation) => {
        setConversationId(conversation.conversationId);
        setTurns(conversation.turns);
      },
    }),
  );
  const startConversation = start.mutate;
  useEffect(() => startConversation(), [startConversation]);

  useSubscription(
    trpc.agent.playground.stream.subscriptionOptions(pending ?? skipToken, {
      onData: (event: AgentStreamEvent) => {
        if (event.type === 'token') setStreamed((current) => current + event.text);
        else {
          const question = pending?.text ?? event.decision.question;
          setTurns((current) => [...current, { role: 'customer', text: question }, { role: 'ai', text: event.decision.reply, decision: event.decision }]);
          setPending(null);
          setStreamed('');
        }
      },
      onError: (error) => {
        setStreamError(error);
        setPending(null);
        setStreamed('');
      },
    }),
  );

  const send = (event: FormEvent) => {
    event.preventDefault();
    const question = text.trim();
    if (!question || !conversationId || pending) return;
    setStreamError(null);
    setPending({ conversationId, text: question });
    setText('');
  };

  return (
    <div className="agent-playground">
      <p className="hint">Ask what your customers ask. The assistant answers from this tenant's knowledge base and settings, exactly as it would in a live chat; nothing is sent anywhere.</p>
      <ol className="agent-chat" aria-label="Test conversation" aria-live="polite">
        {turns.map((turn, index) => (
          <li key={index} className="agent-turn" data-role={turn.role}>
            <span className="agent-turn-author">{roleLabels[turn.role]}</span>
            <span className="agent-turn-text">{turn.text}</span>
            {turn.decision && <DecisionDetails decision={turn.decision} />}
          </li>
        ))}
        {pending && (
          <>
            <li className="agent-turn" data-role="customer">
              <span className="agent-turn-author">Customer</span>
              <span className="agent-turn-text">{pending.text}</span>
            </li>
            <li className="agent-turn" data-role="ai" aria-busy="true">
              <span className="agent-turn-author">Assistant</span>
              <span className="agent-turn-text">{streamed || 'Thinking…'}</span>
            </li>
          </>
        )}
      </ol>
      <ErrorMessage error={start.error ?? streamError} />
      <form className="agent-composer" onSubmit={send}>
        <label htmlFor={inputId}>Message as a customer</label>
        <div className="agent-composer-row">
          <input id={inputId} value={text} onChange={(event) => setText(event.target.value)} maxLength={4000} placeholder="How long does delivery take?" autoComplete="off" />
          <button type="submit" disabled={!conversationId || !!pending || !text.trim()}>
            Send
          </button>
          <button type="button" className="secondary" onClick={() => start.mutate()} disabled={!!pending}>
            New conversation
          </button>
        </div>
      </form>
    </div>
  );
}
