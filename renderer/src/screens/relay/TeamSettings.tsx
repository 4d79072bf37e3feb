import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import type { OperatorRole } from '../../../../shared/schemas/relayAccounts';
import type { AutoReplySettings, Invitation, StaffMember } from '../../../../shared/schemas/relayTeam';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';

const roleLabels: Record<OperatorRole, string> = { owner: 'Owner', admin: 'Admin', agent: 'Agent' };
/** Who may invite whom (the relay enforces it; the form only offers what will work). */
const invitableRoles: Record<OperatorRole, OperatorRole[]> = { owner: ['agent', 'admin', 'owner'], admin: ['agent', 'admin'], agent: [] };
const when = (at: number | null) => (at ? new Date(at).toLocaleString() : '—');

function InviteForm({ role }: { role: OperatorRole }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [inviteRole, setInviteRole] = useState<OperatorRole>('agent');
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  const invite = useMutation(
    trpc.relayTeam.invite.mutationOptions({
      onSuccess: (created) => {
        setInvitation(created);
        setEmail('');
        void queryClient.invalidateQueries({ queryKey: trpc.relayTeam.staff.queryKey() });
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate({ email, role: inviteRole });
  };
  return (
    <form onSubmit={submit} aria-label="Invite staff">
      <h3>Invite a colleague</h3>
      <Field label="Colleague's email" type="email" value={email} onChange={(event) => setEmail(event.target.value)} required />
      <div className="field">
        <label htmlFor="relay-invite-role">Role</label>
        <select id="relay-invite-role" value={inviteRole} onChange={(event) => setInviteRole(event.target.value as OperatorRole)}>
          {invitableRoles[role].map((candidate) => (
            <option key={candidate} value={candidate}>
              {roleLabels[candidate]}
            </option>
          ))}
        </select>
      </div>
      <ErrorMessage error={invite.error} />
      <div className="actions">
        <button type="submit" disabled={invite.isPending}>
          {invite.isPending ? 'Inviting…' : 'Invite'}
        </button>
      </div>
      {invitation && (
        <div className="notice relay-invitation" role="status" aria-label="Invitation">
          <p>
            Invitation for <strong>{invitation.email}</strong> as {roleLabels[invitation.role].toLowerCase()}, valid {invitation.expiresInDays} days. Give them this code
            (it is shown only now); in Ares they choose "I have an invitation" under Relay.
          </p>
          <input className="snippet" readOnly aria-label="Invitation code" value={invitation.inviteCode} onFocus={(event) => event.target.select()} />
        </div>
      )}
    </form>
  );
}

function StaffList({ role }: { role: OperatorRole }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const staff = useQuery(trpc.relayTeam.staff.queryOptions());
  const devices = useQuery(trpc.relayTeam.devices.queryOptions());
  const remove = useMutation(
    trpc.relayTeam.removeStaff.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.relayTeam.staff.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.relayTeam.devices.queryKey() });
      },
    }),
  );
  if (staff.isPending) return <p className="hint">Loading staff…</p>;
  if (staff.isError) return <ErrorMessage error={staff.error} />;
  const you = devices.data?.find((device) => device.current)?.operatorId;
  const owners = staff.data.filter((member) => member.role === 'owner').length;
  // The relay enforces the same rules; the screen offers Remove only where it will work.
  const removable = (member: StaffMember) => member.operatorId !== you && invitableRoles[role].includes(member.role) && !(member.role === 'owner' && owners <= 1);
  const confirmRemoval = (member: StaffMember) => {
    const signedIn = (devices.data ?? []).filter((device) => device.operatorId === member.operatorId && !device.revoked).length;
    const who = member.invitationPending ? `the invitation for ${member.email}` : `${member.name} (${member.email})`;
    return window.confirm(`Remove ${who} from the business? ${signedIn === 1 ? 'Their device is' : `Their ${signedIn} devices are`} signed out at once and they can no longer sign in.`);
  };
  return (
    <>
      <table className="relay-table" aria-label="Staff">
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>Role</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {staff.data.map((member) => (
            <tr key={member.operatorId}>
              <td>
                {member.invitationPending ? '—' : member.name}
                {member.operatorId === you ? ' (you)' : ''}
              </td>
              <td>{member.email}</td>
              <td>{roleLabels[member.role]}</td>
              <td>{member.invitationPending ? 'Invited' : 'Active'}</td>
              <td>
                {removable(member) && (
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Remove ${member.email}`}
                    disabled={remove.isPending}
                    onClick={() => {
                      if (confirmRemoval(member)) remove.mutate({ operatorId: member.operatorId });
                    }}
                  >
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorMessage error={remove.error} />
    </>
  );
}

function DeviceList({ manager }: { manager: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const devices = useQuery(trpc.relayTeam.devices.queryOptions());
  const staff = useQuery({ ...trpc.relayTeam.staff.queryOptions(), enabled: manager });
  const revoke = useMutation(trpc.relayTeam.revokeDevice.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.relayTeam.devices.queryKey() }) }));
  const owners = new Map((staff.data ?? []).map((member) => [member.operatorId, member.name]));
  if (devices.isPending) return <p className="hint">Loading devices…</p>;
  if (devices.isError) return <ErrorMessage error={devices.error} />;
  return (
    <>
      <table className="relay-table" aria-label="Devices">
        <thead>
          <tr>
            <th>Device</th>
            {manager && <th>Person</th>}
            <th>Signed in</th>
            <th>Last seen</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {devices.data.map((device) => (
            <tr key={device.deviceId} data-revoked={device.revoked}>
              <td>
                {device.name}
                {device.current ? ' (this computer)' : ''}
              </td>
              {manager && <td>{owners.get(device.operatorId) ?? ''}</td>}
              <td>{when(device.createdAt)}</td>
              <td>{when(device.lastSeenAt)}</td>
              <td>
                {device.revoked ? (
                  'Revoked'
                ) : device.current ? (
                  ''
                ) : (
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Revoke ${device.name}`}
                    disabled={revoke.isPending}
                    onClick={() => {
                      if (window.confirm(`Sign "${device.name}" out of the relay? It stops syncing at once.`)) revoke.mutate({ deviceId: device.deviceId });
                    }}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorMessage error={revoke.error} />
    </>
  );
}

function AutoReplyForm({ settings }: { settings: AutoReplySettings }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [enabled, setEnabled] = useState(settings.enabled);
  const [minutes, setMinutes] = useState(String(Math.round((settings.delaySeconds / 60) * 10) / 10));
  const [text, setText] = useState(settings.text);
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.relayTeam.updateAutoReply.mutationOptions({
      onSuccess: (next) => {
        setSaved(true);
        queryClient.setQueryData(trpc.relayTeam.autoReply.queryKey(), next);
      },
    }),
  );
  useEffect(() => setSaved(false), [enabled, minutes, text]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ enabled, delaySeconds: Math.round(Number(minutes) * 60), text });
  };
  return (
    <form onSubmit={submit} aria-label="Automatic reply">
      <div className="field checkbox">
        <label>
          <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} /> Send an automatic reply when nobody has picked a message up
        </label>
      </div>
      <Field label="After (minutes)" type="number" min={0.2} max={10080} step="any" value={minutes} onChange={(event) => setMinutes(event.target.value)} disabled={!enabled} required />
      <div className="field">
        <label htmlFor="relay-auto-reply-text">Reply text</label>
        <textarea id="relay-auto-reply-text" rows={3} maxLength={1000} value={text} onChange={(event) => setText(event.target.value)} required />
      </div>
      <ErrorMessage error={save.error} />
      {saved && (
        <p className="success" role="status">
          Saved.
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          Save automatic reply
        </button>
      </div>
    </form>
  );
}

function AutoReply({ manager }: { manager: boolean }) {
  const trpc = useTRPC();
  const settings = useQuery(trpc.relayTeam.autoReply.queryOptions());
  if (settings.isPending) return <p className="hint">Loading…</p>;
  if (settings.isError) return <ErrorMessage error={settings.error} />;
  if (!manager) {
    return <p className="hint">{settings.data.enabled ? `On: after ${Math.round(settings.data.delaySeconds / 60)} min, "${settings.data.text}"` : 'Off.'} Owners and admins change it.</p>;
  }
  return <AutoReplyForm settings={settings.data} />;
}

/**
 * The business's relay account: staff and invitations, signed-in devices, and the automatic
 * "we'll get back to you" reply. Owners and admins manage everything; agents see their own devices.
 */
export function TeamSettings({ role }: { role: string }) {
  const operatorRole: OperatorRole = role === 'owner' || role === 'admin' ? role : 'agent';
  const manager = operatorRole !== 'agent';
  return (
    <>
      {manager && (
        <section className="card" aria-labelledby="relay-staff-title">
          <h2 id="relay-staff-title">Staff</h2>
          <p className="hint">Owners manage everything, admins manage staff and channels, agents answer conversations. Removing someone signs out all of their devices.</p>
          <StaffList role={operatorRole} />
          <InviteForm role={operatorRole} />
        </section>
      )}
      <section className="card" aria-labelledby="relay-devices-title">
        <h2 id="relay-devices-title">{manager ? 'Signed-in devices' : 'Your devices'}</h2>
        <p className="hint">A lost or shared computer can be signed out here; it stops syncing at once.</p>
        <DeviceList manager={manager} />
      </section>
      <section className="card" aria-labelledby="relay-auto-reply-title">
        <h2 id="relay-auto-reply-title">"We'll get back to you" reply</h2>
        <p className="hint">Sent once to a customer when no device of this business has collected their message in time.</p>
        <AutoReply manager={manager} />
      </section>
    </>
  );
}
