import { randomUUID } from 'node:crypto';
import { AresError } from '../../shared/errors.js';
import type { OperatorRole, RelaySession, SignedIn } from '../../shared/schemas/relayAccounts.js';
import type { DeviceRecord, OperatorRecord, RelayStorage, TenantRecord } from '../storage/relayStorage.js';
import type { RateLimits } from '../http/rateLimits.js';
import { dummyPasswordHash, hashPassword, verifyPassword, type ScryptParameters } from './passwordHashing.js';
import { hashSecret, newSecret } from './secretTokens.js';

export interface AuthenticatedDevice extends RelaySession {
  tenant: TenantRecord;
}

const invitationLifetimeMilliseconds = 7 * 24 * 3600 * 1000;
const defaultAutoReplyText = "Thanks for your message! We'll get back to you as soon as we can.";

/** Who may invite whom: owners anyone, admins admins and agents, agents nobody. */
const canInvite: Record<OperatorRole, OperatorRole[]> = { owner: ['owner', 'admin', 'agent'], admin: ['admin', 'agent'], agent: [] };

export class AccountService {
  readonly #storage: RelayStorage;
  readonly #rateLimits: RateLimits;
  readonly #scrypt: ScryptParameters;
  readonly #now: () => number;
  #dummyHash: Promise<string> | null = null;
  /** Counts revocations made through this instance, so live subscriptions re-check their device at once. */
  revocations = 0;
  /** Set by the privacy jobs: true when the token belonged to a device of an account closed on this relay. */
  closedAccountLookup: ((deviceToken: string) => Promise<boolean>) | null = null;

  constructor(options: { storage: RelayStorage; rateLimits: RateLimits; scryptParameters: ScryptParameters; now?: () => number }) {
    this.#storage = options.storage;
    this.#rateLimits = options.rateLimits;
    this.#scrypt = options.scryptParameters;
    this.#now = options.now ?? Date.now;
  }

  async registerTenant(
    input: { businessName: string; ownerName: string; email: string; password: string; deviceName: string },
    address: string,
  ): Promise<SignedIn> {
    await this.#rateLimits.consume('registerPerAddress', address);
    if (await this.#storage.operatorByEmail(input.email)) throw new AresError('CONFLICT', 'An account with this email already exists on this relay.');
    const now = this.#now();
    const tenant: TenantRecord = {
      tenantId: randomUUID(),
      name: input.businessName,
      widgetKey: newSecret('wk').slice(0, 27),
      autoReplyAfterSeconds: null,
      autoReplyText: defaultAutoReplyText,
      createdAt: now,
    };
    const owner: OperatorRecord = {
      operatorId: randomUUID(),
      tenantId: tenant.tenantId,
      email: input.email,
      name: input.ownerName,
      role: 'owner',
      passwordHash: await hashPassword(input.password, this.#scrypt),
      inviteCodeHash: null,
      inviteExpiresAt: null,
      createdAt: now,
    };
    await this.#storage.createTenant(tenant, owner, randomUUID());
    return this.#newDevice(tenant, owner, input.deviceName);
  }

  async login(input: { email: string; password: string; deviceName: string }, address: string): Promise<SignedIn> {
    await this.#rateLimits.consume('loginPerAddress', address);
    await this.#rateLimits.consume('loginPerAccount', input.email);
    const operator = await this.#storage.operatorByEmail(input.email);
    if (!operator?.passwordHash) {
      this.#dummyHash ??= dummyPasswordHash(this.#scrypt);
      await verifyPassword(input.password, await this.#dummyHash);
      throw new AresError('UNAUTHORIZED', 'The email or password is not correct.');
    }
    if (!(await verifyPassword(input.password, operator.passwordHash))) throw new AresError('UNAUTHORIZED', 'The email or password is not correct.');
    await this.#rateLimits.forgive('loginPerAccount', input.email);
    const tenant = await this.#storage.tenant(operator.tenantId);
    if (!tenant) throw new AresError('UNAUTHORIZED', 'The email or password is not correct.');
    return this.#newDevice(tenant, operator, input.deviceName);
  }

  async invite(session: AuthenticatedDevice, input: { email: string; role: OperatorRole }): Promise<{ operatorId: string; inviteCode: string }> {
    if (!canInvite[session.role].includes(input.role)) throw new AresError('FORBIDDEN', `A ${session.role} cannot invite a ${input.role}.`);
    const inviteCode = newSecret('inv');
    const operator: OperatorRecord = {
      operatorId: randomUUID(),
      tenantId: session.tenantId,
      email: input.email,
      name: input.email,
      role: input.role,
      passwordHash: null,
      inviteCodeHash: hashSecret(inviteCode),
      inviteExpiresAt: this.#now() + invitationLifetimeMilliseconds,
      createdAt: this.#now(),
    };
    await this.#storage.createOperator(operator);
    return { operatorId: operator.operatorId, inviteCode };
  }

  async acceptInvitation(input: { inviteCode: string; name: string; password: string; deviceName: string }, address: string): Promise<SignedIn> {
    await this.#rateLimits.consume('loginPerAddress', address);
    const operator = await this.#storage.operatorByInviteCodeHash(hashSecret(input.inviteCode));
    if (!operator || operator.inviteExpiresAt === null || operator.inviteExpiresAt < this.#now()) {
      throw new AresError('UNAUTHORIZED', 'This invitation is not valid or has expired.');
    }
    const passwordHash = await hashPassword(input.password, this.#scrypt);
    await this.#storage.acceptInvitation(operator.tenantId, operator.operatorId, input.name, passwordHash);
    const tenant = (await this.#storage.tenant(operator.tenantId))!;
    return this.#newDevice(tenant, { ...operator, name: input.name, passwordHash }, input.deviceName);
  }

  async authenticate(deviceToken: string | undefined): Promise<AuthenticatedDevice> {
    if (!deviceToken) throw new AresError('UNAUTHORIZED');
    const device = await this.#storage.deviceByTokenHash(hashSecret(deviceToken));
    if (!device && (await this.closedAccountLookup?.(deviceToken))) throw new AresError('RELAY_ACCOUNT_CLOSED');
    if (!device || device.revokedAt !== null) throw new AresError('UNAUTHORIZED', 'This device was signed out or revoked. Sign in again.');
    const [operator, tenant] = await Promise.all([this.#storage.operator(device.tenantId, device.operatorId), this.#storage.tenant(device.tenantId)]);
    if (!operator || !tenant) throw new AresError('UNAUTHORIZED');
    await this.#rateLimits.consume('apiPerDevice', device.deviceId);
    return {
      tenantId: tenant.tenantId,
      tenantName: tenant.name,
      operatorId: operator.operatorId,
      operatorName: operator.name,
      role: operator.role,
      deviceId: device.deviceId,
      widgetKey: tenant.widgetKey,
      tenant,
    };
  }

  async devices(session: AuthenticatedDevice): Promise<DeviceRecord[]> {
    const devices = await this.#storage.devices(session.tenantId);
    // Agents see their own devices; owners and admins manage everyone's.
    return session.role === 'agent' ? devices.filter((device) => device.operatorId === session.operatorId) : devices;
  }

  async revokeDevice(session: AuthenticatedDevice, deviceId: string): Promise<void> {
    const device = (await this.#storage.devices(session.tenantId)).find((candidate) => candidate.deviceId === deviceId);
    if (!device) throw new AresError('NOT_FOUND', 'No such device in this tenant.');
    if (session.role === 'agent' && device.operatorId !== session.operatorId) throw new AresError('FORBIDDEN', 'Agents can only sign out their own devices.');
    await this.#storage.revokeDevice(session.tenantId, deviceId, this.#now());
    this.revocations += 1;
  }

  async operators(session: AuthenticatedDevice): Promise<{ operatorId: string; email: string; name: string; role: OperatorRole; invitationPending: boolean }[]> {
    return (await this.#storage.operators(session.tenantId)).map((operator) => ({
      operatorId: operator.operatorId,
      email: operator.email,
      name: operator.name,
      role: operator.role,
      invitationPending: operator.passwordHash === null,
    }));
  }

  async removeOperator(session: AuthenticatedDevice, operatorId: string): Promise<void> {
    const operator = await this.#storage.operator(session.tenantId, operatorId);
    if (!operator) throw new AresError('NOT_FOUND', 'No such operator in this tenant.');
    if (!canInvite[session.role].includes(operator.role)) throw new AresError('FORBIDDEN', `A ${session.role} cannot remove a ${operator.role}.`);
    if (operator.operatorId === session.operatorId) throw new AresError('FORBIDDEN', 'You cannot remove yourself.');
    // The storage also refuses the last owner, inside the transaction (two owners removing each other at once).
    if (!(await this.#storage.removeOperator(session.tenantId, operatorId, this.#now()))) throw new AresError('NOT_FOUND', 'No such operator in this tenant.');
    this.revocations += 1;
  }

  async #newDevice(tenant: TenantRecord, operator: OperatorRecord, deviceName: string): Promise<SignedIn> {
    const deviceToken = newSecret('ard');
    const now = this.#now();
    const device: DeviceRecord = {
      deviceId: randomUUID(),
      tenantId: tenant.tenantId,
      operatorId: operator.operatorId,
      name: deviceName,
      createdAt: now,
      lastSeenAt: now,
      revokedAt: null,
      collectedSeq: 0,
    };
    await this.#storage.createDevice(device, hashSecret(deviceToken));
    return {
      tenantId: tenant.tenantId,
      tenantName: tenant.name,
      operatorId: operator.operatorId,
      operatorName: operator.name,
      role: operator.role,
      deviceId: device.deviceId,
      widgetKey: tenant.widgetKey,
      deviceToken,
    };
  }
}
