import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

/**
 * The renderer's only door to the core: send a tRPC message, receive responses. No Node, no
 * ipcRenderer, no other channel is exposed (the renderer is sandboxed with context isolation).
 */
contextBridge.exposeInMainWorld('aresIpc', {
  send(request: unknown) {
    ipcRenderer.send('ares:trpc', request);
  },
  onResponse(listener: (response: unknown) => void) {
    const wrapped = (_event: IpcRendererEvent, response: unknown) => listener(response);
    ipcRenderer.on('ares:trpc:response', wrapped);
    return () => ipcRenderer.off('ares:trpc:response', wrapped);
  },
});
