import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';

/**
 * Outside WhatsApp's 24-hour window only an approved template may be sent. The templates are the
 * ones configured for the number on the relay (Channels); the relay sends it and writes it to the
 * conversation like any staff reply.
 */
export function TemplatePicker({ conversationId }: { conversationId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const templates = useQuery(trpc.channels.templates.queryOptions());
  const [name, setName] = useState('');
  const [parameters, setParameters] = useState<string[]>([]);
  const [sent, setSent] = useState(false);
  const send = useMutation(
    trpc.channels.sendTemplate.mutationOptions({
      onSuccess: () => {
        setSent(true);
        setParameters([]);
        void queryClient.invalidateQueries({ queryKey: trpc.liveInbox.pathKey() });
      },
    }),
  );
  if (templates.isPending) return <p className="hint">Loading WhatsApp templates…</p>;
  if (templates.isError) return <ErrorMessage error={templates.error} />;
  if (templates.data.length === 0) {
    return <p className="hint">No approved templates are configured for this WhatsApp number. Add them under Channels.</p>;
  }
  const template = templates.data.find((candidate) => candidate.name === name) ?? templates.data[0]!;
  const values = Array.from({ length: template.bodyParameterCount }, (_, index) => parameters[index] ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSent(false);
    send.mutate({ conversationId, templateName: template.name, parameters: values.map((value) => value.trim()) });
  };
  return (
    <form className="live-template-picker" onSubmit={submit} aria-label="WhatsApp template">
      <label htmlFor="live-template-name">Template</label>
      <select
        id="live-template-name"
        value={template.name}
        onChange={(event) => {
          setName(event.target.value);
          setParameters([]);
        }}
      >
        {templates.data.map((candidate) => (
          <option key={`${candidate.name}-${candidate.language}`} value={candidate.name}>
            {candidate.name} ({candidate.language}){candidate.description ? ` — ${candidate.description}` : ''}
          </option>
        ))}
      </select>
      {values.map((value, index) => (
        <label key={index}>
          {`Parameter {{${index + 1}}}`}
          <input
            value={value}
            required
            maxLength={1000}
            onChange={(event) => setParameters(values.map((current, position) => (position === index ? event.target.value : current)))}
          />
        </label>
      ))}
      <ErrorMessage error={send.error} />
      {sent && (
        <p className="success" role="status">
          Template sent to the relay.
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={send.isPending || values.some((value) => !value.trim())}>
          Send template
        </button>
      </div>
    </form>
  );
}
