/** The message pipe electron/preload.ts exposes to the renderer as `window.aresIpc`, and nothing else. */
export interface IpcRequest {
  id: number;
  type: 'query' | 'mutation' | 'subscription' | 'subscription.stop';
  path: string;
  input?: unknown;
}

export type IpcResponse =
  | { id: number; kind: 'result'; data: unknown }
  | { id: number; kind: 'data'; data: unknown }
  | { id: number; kind: 'error'; error: { message: string; data?: unknown } }
  | { id: number; kind: 'stopped' };

export interface AresIpcBridge {
  send(request: IpcRequest): void;
  onResponse(listener: (response: IpcResponse) => void): () => void;
}
