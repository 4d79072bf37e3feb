import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { AgentSettings, AgentSettingsView } from '../../../../shared/schemas/agent';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { TextAreaField } from './TextAreaField';

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** The form keeps text as typed; it becomes settings only on save. */
interface Draft {
  persona: string;
  greeting: string;
  tone: string;
  rules: string;
  humanOnlyTopics: string;
  customerMessage: string;
  handBackMessage: string;
  maximumAiTurns: string;
  confidencePercent: string;
  provider: AgentSettings['model']['provider'];
  baseUrl: string;
  modelName: string;
  timeoutSeconds: string;
  apiKey: string;
}

function draftOf(settings: AgentSettingsView): Draft {
  return {
    persona: settings.persona,
    greeting: settings.greeting,
    tone: settings.tone,
    rules: settings.rules.join('\n'),
    humanOnlyTopics: settings.humanOnlyTopics.join('\n'),
    customerMessage: settings.handOff.customerMessage,
    handBackMessage: settings.handOff.handBackMessage,
    maximumAiTurns: String(settings.handOff.maximumAiTurns),
    confidencePercent: String(Math.round(settings.handOff.confidenceThreshold * 100)),
    provider: settings.model.provider,
    baseUrl: settings.model.baseUrl,
    modelName: settings.model.modelName,
    timeoutSeconds: String(settings.model.timeoutSeconds),
    apiKey: '',
  };
}

function settingsOf(draft: Draft): AgentSettings {
  return {
    persona: draft.persona,
    greeting: draft.greeting,
    tone: draft.tone,
    rules: lines(draft.rules),
    humanOnlyTopics: lines(draft.humanOnlyTopics),
    handOff: {
      customerMessage: draft.customerMessage,
      handBackMessage: draft.handBackMessage,
      maximumAiTurns: Number(draft.maximumAiTurns),
      confidenceThreshold: Number(draft.confidencePercent) / 100,
    },
    model: { provider: draft.provider, baseUrl: draft.baseUrl, modelName: draft.modelName, timeoutSeconds: Number(draft.timeoutSeconds) },
  };
}

/** Persona, rules, hand-off and model settings of the tenant's agent. */
export function AgentSettingsScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.agent.settings.queryOptions());
  const [draft, setDraft] = useState<Draft | null>(null);
  const providerId = useId();
  const save = useMutation(
    trpc.agent.updateSettings.mutationOptions({
      onSuccess: (next) => {
        queryClient.setQueryData(trpc.agent.settings.queryKey(), next);
        setDraft(draftOf(next));
      },
    }),
  );
  useEffect(() => {
    if (settings.data && !draft) setDraft(draftOf(settings.data));
  }, [settings.data, draft]);

  if (settings.error) return <ErrorMessage error={settings.error} />;
  if (!draft || !settings.data) return <p>Loading…</p>;
  const change = (key: keyof Draft) => (event: { target: { value: string } }) => {
    save.reset();
    setDraft({ ...draft, [key]: event.target.value });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ settings: settingsOf(draft), ...(draft.apiKey.trim() ? { apiKey: draft.apiKey.trim() } : {}) });
  };
  const keySet = settings.data.apiKeySet;

  return (
    <form className="stack agent-settings" onSubmit={submit} aria-label="Agent settings">
      <section className="card" aria-labelledby="agent-voice-title">
        <h2 id="agent-voice-title">Persona and voice</h2>
        <TextAreaField label="Persona" value={draft.persona} onChange={change('persona')} maxLength={2000} hint={<p className="hint">Who the assistant is, in one or two sentences.</p>} />
        <Field label="Greeting" value={draft.greeting} onChange={change('greeting')} maxLength={500} />
        <Field label="Tone" value={draft.tone} onChange={change('tone')} maxLength={200} />
        <TextAreaField label="Rules" value={draft.rules} onChange={change('rules')} rows={4} hint={<p className="hint">One rule per line, e.g. “Never promise a delivery date.”</p>} />
      </section>

      <section className="card" aria-labelledby="agent-handoff-title">
        <h2 id="agent-handoff-title">Hand-off to a person</h2>
        <TextAreaField label="Hand-off message" value={draft.customerMessage} onChange={change('customerMessage')} rows={2} hint={<p className="hint">What the customer reads when a person takes over.</p>} />
        <TextAreaField label="Hand-back message" value={draft.handBackMessage} onChange={change('handBackMessage')} rows={2} hint={<p className="hint">What the customer reads when the assistant takes over again.</p>} />
        <Field label="Maximum AI replies before a person takes over" type="number" min={1} max={100} value={draft.maximumAiTurns} onChange={change('maximumAiTurns')} />
        <Field
          label="Confidence threshold (%)"
          type="number"
          min={0}
          max={100}
          value={draft.confidencePercent}
          onChange={change('confidencePercent')}
          hint={<p className="hint">Below this share of the question covered by the knowledge base, the assistant hands off instead of answering.</p>}
        />
        <TextAreaField label="Human-only topics" value={draft.humanOnlyTopics} onChange={change('humanOnlyTopics')} hint={<p className="hint">One word or phrase per line (refund, complaint, lawyer …): these always go to a person.</p>} />
      </section>

      <section className="card" aria-labelledby="agent-model-title">
        <h2 id="agent-model-title">Language model</h2>
        <p className="hint">Without a model the assistant answers with your FAQ answers and catalog facts as written. With one, it writes answers from the same passages, with sources.</p>
        <div className="field">
          <label htmlFor={providerId}>Model provider</label>
          <select id={providerId} value={draft.provider} onChange={change('provider')}>
            <option value="none">None (answers from the knowledge base as written)</option>
            <option value="openai_compatible">OpenAI-compatible server (Ollama, llama.cpp, cloud)</option>
          </select>
        </div>
        {draft.provider === 'openai_compatible' && (
          <>
            <Field label="Server address" type="url" placeholder="http://127.0.0.1:11434/v1" value={draft.baseUrl} onChange={change('baseUrl')} />
            <Field label="Model name" placeholder="llama3.2" value={draft.modelName} onChange={change('modelName')} />
            <Field label="Time limit (seconds)" type="number" min={1} max={300} value={draft.timeoutSeconds} onChange={change('timeoutSeconds')} />
            <Field
              label="API key"
              type="password"
              autoComplete="off"
              placeholder={keySet ? 'A key is set — type a new one to replace it' : 'Optional for local servers'}
              value={draft.apiKey}
              onChange={change('apiKey')}
              hint={<p className="hint">{keySet ? 'Key set. ' : ''}Stored encrypted with this tenant and never shown again.</p>}
            />
            {keySet && (
              <button type="button" className="link destructive-link" onClick={() => save.mutate({ settings: settingsOf(draft), clearApiKey: true })}>
                Remove the API key
              </button>
            )}
          </>
        )}
      </section>

      <ErrorMessage error={save.error} />
      {save.isSuccess && (
        <p className="success" role="status">
          Saved.
        </p>
      )}
      <div className="actions agent-actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save agent settings'}
        </button>
      </div>
    </form>
  );
}
