/**
 * Preload (sandboxed, context-isolated): exposes exactly the typed API as `window.facenet` and nothing
 * else: invoke(method, args), onEvent(listener), pickFolder(). Requests are validated here with
 * validateRequest (so bad calls fail fast, in the renderer's own stack) and again in main, which never
 * trusts the renderer. Sandboxed preloads cannot load local modules: `npm run build:electron` bundles this
 * file with src-shared/api.ts into dist/electron/preload.cjs.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { validateRequest, type ApiEvent } from '../../../src-shared/api.js';
import { CHANNEL_EVENT, CHANNEL_INVOKE, CHANNEL_PICK_FOLDER, type InvokeReply } from './ipc.js';

const bridge = {
  async invoke(method: string, args: unknown): Promise<InvokeReply> {
    try {
      validateRequest(method, args);
    } catch (e) {
      return { error: { code: 'bad-request', message: e instanceof Error ? e.message : String(e) } };
    }
    return (await ipcRenderer.invoke(CHANNEL_INVOKE, method, args ?? {})) as InvokeReply;
  },
  onEvent(listener: (event: ApiEvent) => void): () => void {
    const handler = (_e: IpcRendererEvent, event: ApiEvent): void => listener(event);
    ipcRenderer.on(CHANNEL_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(CHANNEL_EVENT, handler);
    };
  },
  async pickFolder(): Promise<string | null> {
    const path = (await ipcRenderer.invoke(CHANNEL_PICK_FOLDER)) as unknown;
    return typeof path === 'string' ? path : null;
  },
};

contextBridge.exposeInMainWorld('facenet', bridge);
