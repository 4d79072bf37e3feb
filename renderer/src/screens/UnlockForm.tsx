import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { TenantSummary } from '../../../shared/schemas/tenant';
import { useTRPC } from '../api/trpc';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';

export function UnlockForm({ tenant, onBack }: { tenant: TenantSummary; onBack: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [passphrase, setPassphrase] = useState('');
  const onUnlocked = {
    onSuccess: (state: Awaited<ReturnType<typeof queryClient.fetchQuery>>) => {
      queryClient.setQueryData(trpc.vault.state.queryKey(), state as never);
    },
  };
  const unlock = useMutation(trpc.vault.unlock.mutationOptions({ ...onUnlocked, onError: () => setPassphrase('') }));
  const unlockRemembered = useMutation(trpc.vault.unlockRemembered.mutationOptions(onUnlocked));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (passphrase) unlock.mutate({ name: tenant.name, passphrase });
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="unlock-title">
      <h2 id="unlock-title">Unlock {tenant.name}</h2>
      <Field label="Passphrase" type="password" autoComplete="current-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoFocus />
      <ErrorMessage error={unlock.error ?? unlockRemembered.error} />
      <div className="actions">
        <button type="button" className="secondary" onClick={onBack}>
          Back
        </button>
        {tenant.rememberedOnDevice && (
          <button type="button" className="secondary" onClick={() => unlockRemembered.mutate({ name: tenant.name })}>
            Unlock with this device
          </button>
        )}
        <button type="submit" disabled={unlock.isPending || !passphrase}>
          {unlock.isPending ? 'Unlocking…' : 'Unlock'}
        </button>
      </div>
    </form>
  );
}
