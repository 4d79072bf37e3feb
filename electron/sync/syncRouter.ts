import { on } from 'node:events';
import { EventEmitter } from 'node:events';
import { connectRelayInput, registerRelayInput } from '../../shared/schemas/relaySync.js';
import { router, tenantProcedure } from '../core/trpc.js';
import { syncServiceFor } from './sessionSync.js';

/** The relay connection of the unlocked tenant: connect, status, disconnect. Sync itself runs in the core. */
export const syncRouter = router({
  status: tenantProcedure.query(({ ctx }) => syncServiceFor(ctx.session).status()),

  connect: tenantProcedure.input(connectRelayInput).mutation(({ ctx, input }) => syncServiceFor(ctx.session).connect(input)),

  register: tenantProcedure.input(registerRelayInput).mutation(({ ctx, input }) => syncServiceFor(ctx.session).register(input)),

  disconnect: tenantProcedure.mutation(({ ctx }) => syncServiceFor(ctx.session).disconnect()),

  syncNow: tenantProcedure.mutation(({ ctx }) => syncServiceFor(ctx.session).syncNow()),

  /** Emits the status whenever it changes (online/offline, outbox drained, new events). */
  onStatus: tenantProcedure.subscription(async function* ({ ctx, signal }) {
    const service = syncServiceFor(ctx.session);
    const relay = new EventEmitter();
    const stop = service.onChange(() => relay.emit('change'));
    try {
      yield service.status();
      for await (const _ of on(relay, 'change', { signal })) yield service.status();
    } finally {
      stop();
    }
  }),
});
