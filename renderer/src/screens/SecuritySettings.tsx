import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { SessionState } from '../../../shared/schemas/tenant';
import { measurePassphrase } from '../../../shared/passphraseStrength';
import { useTRPC } from '../api/trpc';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { PassphraseMeter } from '../components/PassphraseMeter';

type Unlocked = Extract<SessionState, { unlocked: true }>;

function ChangePassphraseForm({ tenantName }: { tenantName: string }) {
  const trpc = useTRPC();
  const [currentPassphrase, setCurrent] = useState('');
  const [newPassphrase, setNew] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const change = useMutation(
    trpc.vault.changePassphrase.mutationOptions({
      onSuccess: () => {
        setCurrent('');
        setNew('');
        setConfirmation('');
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    change.reset();
    if (!measurePassphrase(newPassphrase, [tenantName]).acceptable) return setFormError('Choose a stronger new passphrase.');
    if (newPassphrase !== confirmation) return setFormError('The two new passphrases are different.');
    change.mutate({ currentPassphrase, newPassphrase });
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="passphrase-title">
      <h2 id="passphrase-title">Change passphrase</h2>
      <p className="hint">The tenant's data key is re-wrapped with the new passphrase; your data is not re-encrypted.</p>
      <Field label="Current passphrase" type="password" autoComplete="current-password" value={currentPassphrase} onChange={(e) => setCurrent(e.target.value)} />
      <Field
        label="New passphrase"
        type="password"
        autoComplete="new-password"
        value={newPassphrase}
        onChange={(e) => setNew(e.target.value)}
        hint={<PassphraseMeter passphrase={newPassphrase} userInputs={[tenantName]} />}
      />
      <Field label="Confirm new passphrase" type="password" autoComplete="new-password" value={confirmation} onChange={(e) => setConfirmation(e.target.value)} />
      {formError && (
        <p className="error" role="alert">
          {formError}
        </p>
      )}
      <ErrorMessage error={change.error} />
      {change.isSuccess && (
        <p className="success" role="status">
          Passphrase changed.
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={change.isPending || !currentPassphrase || !newPassphrase}>
          {change.isPending ? 'Changing…' : 'Change passphrase'}
        </button>
      </div>
    </form>
  );
}

function LockSettings({ state }: { state: Unlocked }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keychain = useQuery(trpc.vault.keychainStatus.queryOptions());
  const [minutes, setMinutes] = useState(String(state.idleLockMinutes));
  const store = (next: SessionState) => queryClient.setQueryData(trpc.vault.state.queryKey(), next);
  const updateSettings = useMutation(trpc.vault.updateSettings.mutationOptions({ onSuccess: store }));
  const setRemembered = useMutation(trpc.vault.setRemembered.mutationOptions({ onSuccess: store }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    updateSettings.mutate({ idleLockMinutes: Number(minutes) });
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="lock-title">
      <h2 id="lock-title">Locking</h2>
      <Field
        label="Lock after this many idle minutes"
        type="number"
        min={1}
        max={1440}
        value={minutes}
        onChange={(e) => setMinutes(e.target.value)}
        hint={<p className="hint">The tenant also locks when the computer sleeps or its screen locks.</p>}
      />
      <ErrorMessage error={updateSettings.error} />
      {updateSettings.isSuccess && (
        <p className="success" role="status">
          Saved.
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={updateSettings.isPending}>
          Save
        </button>
      </div>
      <div className="field checkbox">
        <label>
          <input
            type="checkbox"
            checked={state.rememberedOnDevice}
            disabled={!keychain.data?.available || setRemembered.isPending}
            onChange={(e) => setRemembered.mutate({ remember: e.target.checked })}
          />
          Remember on this device (unlock without the passphrase, using the system keychain)
        </label>
        {keychain.data && !keychain.data.available && <p className="hint">{keychain.data.reason}</p>}
      </div>
      <ErrorMessage error={setRemembered.error} />
    </form>
  );
}

export function SecuritySettings({ state }: { state: Unlocked }) {
  return (
    <div className="stack">
      <LockSettings state={state} />
      <ChangePassphraseForm tenantName={state.tenantName} />
    </div>
  );
}
