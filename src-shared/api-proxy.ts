/**
 * The typed FaceNetApi over one untyped `call(method, args)`: api.getPerson({ personId }) becomes
 * call('getPerson', { personId }). Used by every client of the contract (the renderer over HTTP or IPC, the
 * CLI over EngineApi.call). One method per API_METHODS entry; a call without arguments sends `{}`.
 */
import { API_METHODS, type ApiMethod, type FaceNetApi } from './api.js';

export function apiProxy(call: (method: ApiMethod, args: unknown) => Promise<unknown>): FaceNetApi {
  const api: Record<string, (args?: unknown) => Promise<unknown>> = {};
  for (const m of API_METHODS) api[m] = (args?: unknown) => call(m, args ?? {});
  return api as unknown as FaceNetApi;
}
