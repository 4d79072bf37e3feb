import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { measurePassphrase } from '../../../shared/passphraseStrength';
import { useTRPC } from '../api/trpc';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { PassphraseMeter } from '../components/PassphraseMeter';

export function CreateTenantForm({ onCancel }: { onCancel?: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const create = useMutation(
    trpc.vault.createTenant.mutationOptions({
      onSuccess: (state) => {
        queryClient.setQueryData(trpc.vault.state.queryKey(), state);
        void queryClient.invalidateQueries({ queryKey: trpc.vault.listTenants.queryKey() });
      },
    }),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    if (!name.trim()) return setFormError('Enter the business name.');
    if (!measurePassphrase(passphrase, [name]).acceptable) return setFormError('Choose a stronger passphrase.');
    if (passphrase !== confirmation) return setFormError('The two passphrases are different.');
    create.mutate({ name, passphrase });
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="create-title">
      <h2 id="create-title">Create a tenant</h2>
      <p className="hint">A tenant is one business: its knowledge, conversations and settings, encrypted with its own key.</p>
      <Field label="Business name" value={name} onChange={(e) => setName(e.target.value)} autoFocus maxLength={120} />
      <Field
        label="Passphrase"
        type="password"
        autoComplete="new-password"
        value={passphrase}
        onChange={(e) => setPassphrase(e.target.value)}
        hint={<PassphraseMeter passphrase={passphrase} userInputs={[name]} />}
      />
      <Field label="Confirm passphrase" type="password" autoComplete="new-password" value={confirmation} onChange={(e) => setConfirmation(e.target.value)} />
      {formError && (
        <p className="error" role="alert">
          {formError}
        </p>
      )}
      <ErrorMessage error={create.error} />
      <div className="actions">
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create tenant'}
        </button>
      </div>
    </form>
  );
}
