import { z } from 'zod';

/** The web chat widget's small JSON API (served by the relay to its own chat frame). */

export const widgetSessionInput = z.object({ widgetKey: z.string().min(8).max(64) });
export const widgetSendInput = z.object({
  clientMessageId: z.string().min(8).max(64),
  text: z.string().trim().min(1).max(2000),
});

export const widgetMessageSchema = z.object({
  seq: z.number(),
  messageId: z.string(),
  from: z.enum(['visitor', 'staff', 'business']),
  authorName: z.string().optional(),
  text: z.string(),
  at: z.number(),
});
export type WidgetMessage = z.infer<typeof widgetMessageSchema>;
