import { z } from 'zod';

/** The one IPC channel between the preload bridge and the main process. */
export const ipcChannel = 'ares:trpc';

/** Every message from a renderer is validated before it reaches the router. */
export const ipcRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  type: z.enum(['query', 'mutation', 'subscription', 'subscription.stop']),
  path: z.string().regex(/^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$/).max(200),
  input: z.unknown().optional(),
});
export type IpcRequestMessage = z.infer<typeof ipcRequestSchema>;
