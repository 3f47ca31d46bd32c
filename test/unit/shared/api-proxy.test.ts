import { describe, expect, it } from 'vitest';
import { API_METHODS } from '../../../src-shared/api.js';
import { apiProxy } from '../../../src-shared/api-proxy.js';

describe('apiProxy', () => {
  it('has one method per API method, forwarding the name and arguments ({} when none)', async () => {
    const calls: [string, unknown][] = [];
    const api = apiProxy(async (method, args) => {
      calls.push([method, args]);
      return `result of ${method}`;
    });
    expect(Object.keys(api).sort()).toEqual([...API_METHODS].sort());
    await expect(api.getPerson({ personId: 3 })).resolves.toBe('result of getPerson');
    await expect(api.status()).resolves.toBe('result of status');
    expect(calls).toEqual([
      ['getPerson', { personId: 3 }],
      ['status', {}],
    ]);
  });

  it("passes the call's rejection through", async () => {
    const api = apiProxy(() => Promise.reject(new Error('gone')));
    await expect(api.listFolders()).rejects.toThrow('gone');
  });
});
