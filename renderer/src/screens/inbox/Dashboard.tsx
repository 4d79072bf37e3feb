import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { handOffReasonLabels, type HandOffReason } from '../../../../shared/schemas/agent';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);

function encodeBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** One unanswered question: write the answer, and it goes into the knowledge base as a Markdown source. */
function AddAnswer({ question }: { question: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [answer, setAnswer] = useState('');
  const [open, setOpen] = useState(false);
  const add = useMutation(trpc.knowledge.importFile.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.knowledge.pathKey() }) }));
  if (add.data?.status === 'done') return <span className="hint">Added to the knowledge base.</span>;
  if (!open) {
    return (
      <button type="button" className="link" onClick={() => setOpen(true)}>
        Add an answer to the knowledge base
      </button>
    );
  }
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        const name = `answer-${question.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 60)}.md`;
        add.mutate({ name, contentBase64: encodeBase64(`## ${question.replace(/\n/g, ' ')}\n\n${answer.trim()}\n`) });
      }}
    >
      <textarea aria-label={`Answer to: ${question}`} rows={3} value={answer} onChange={(event) => setAnswer(event.target.value)} />
      <ErrorMessage error={add.error ?? (add.data?.status === 'failed' ? new Error(add.data.errorMessage ?? 'The answer could not be added.') : null)} />
      <button type="submit" disabled={!answer.trim() || add.isPending}>
        Save answer
      </button>
    </form>
  );
}

/** Conversations per day, the AI's share, hand-offs by reason, first response time, unanswered questions. */
export function Dashboard() {
  const trpc = useTRPC();
  const [days, setDays] = useState(14);
  const statistics = useQuery(trpc.liveInbox.dashboard.queryOptions({ days }));
  if (statistics.isPending) return <p className="hint">Loading…</p>;
  if (statistics.isError) return <ErrorMessage error={statistics.error} />;
  const data = statistics.data;
  const busiest = Math.max(1, ...data.days.map((day) => day.conversations));
  return (
    <div className="live-dashboard">
      <label>
        Period{' '}
        <select value={days} onChange={(event) => setDays(Number(event.target.value))}>
          <option value={7}>7 days</option>
          <option value={14}>14 days</option>
          <option value={30}>30 days</option>
          <option value={90}>90 days</option>
        </select>
      </label>
      <dl className="live-dashboard-figures">
        <div>
          <dt>Conversations</dt>
          <dd>{data.conversations}</dd>
        </div>
        <div>
          <dt>Resolved by the AI alone</dt>
          <dd>{percent(data.aiResolvedShare)}</dd>
        </div>
        <div>
          <dt>First response (median)</dt>
          <dd>{data.firstResponseMedianSeconds === null ? '—' : `${data.firstResponseMedianSeconds} s`}</dd>
        </div>
      </dl>
      <h2>Conversations per day</h2>
      <ol className="live-dashboard-days" aria-label="Conversations per day">
        {data.days.map((day) => (
          <li key={day.day} title={`${day.day}: ${day.conversations}`}>
            <span className="live-dashboard-bar" style={{ height: `${(day.conversations / busiest) * 100}%` }} />
            <span className="live-dashboard-day">{day.day.slice(5)}</span>
          </li>
        ))}
      </ol>
      <h2>Hand-offs by reason</h2>
      {data.handOffs.length === 0 ? (
        <p className="hint">No hand-offs in this period.</p>
      ) : (
        <table>
          <tbody>
            {data.handOffs.map((row) => (
              <tr key={row.reason}>
                <th scope="row">{handOffReasonLabels[row.reason as HandOffReason] ?? row.reason}</th>
                <td>{row.count}</td>
                <td>{percent(row.rate)} of conversations</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Unanswered questions</h2>
      {data.unansweredQuestions.length === 0 ? (
        <p className="hint">The AI has not handed anything off for lack of knowledge.</p>
      ) : (
        <ul className="live-dashboard-questions" aria-label="Unanswered questions">
          {data.unansweredQuestions.map((question) => (
            <li key={`${question.conversationId}-${question.askedAt}`}>
              <q>{question.question}</q> <span className="hint">{new Date(question.askedAt).toLocaleString()}</span>
              <AddAnswer question={question.question} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
