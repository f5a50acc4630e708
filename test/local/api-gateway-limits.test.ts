/** The local HTTP API refuses what API Gateway and Lambda refuse (issue 15 item 2): 10 MB bodies, 6 MB invocations. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_API_BODY_BYTES, LAMBDA_SYNC_PAYLOAD_BYTES, startApiGateway, type LocalApi } from '#local/api-gateway.ts';

let api: LocalApi;
let calls = 0;
const logged: string[] = [];

beforeAll(async () => {
  api = await startApiGateway({
    log: (line) => logged.push(line),
    routes: [
      {
        method: 'POST',
        path: '/echo-size',
        auth: 'none',
        handler: async (event: unknown) => {
          calls++;
          return { statusCode: 200, body: String(((event as { body?: string }).body ?? '').length) };
        },
      },
      {
        method: 'GET',
        path: '/huge',
        auth: 'none',
        handler: async () => ({ statusCode: 200, body: 'x'.repeat(LAMBDA_SYNC_PAYLOAD_BYTES + 1) }),
      },
    ],
  });
});

afterAll(async () => {
  await api.close();
});

const post = (bytes: number) =>
  fetch(`${api.url}/echo-size`, { method: 'POST', body: 'x'.repeat(bytes), headers: { 'content-type': 'text/plain' } });

describe('payload quotas of the local HTTP API', () => {
  it('passes a body well under the Lambda quota to the function', async () => {
    const response = await post(1_000_000);
    expect({ status: response.status, body: await response.text() }).toStrictEqual({ status: 200, body: '1000000' });
  });

  it("answers the HTTP API's 413 without calling the function for a request whose event is over 6 MB", async () => {
    const before = calls;
    const response = await post(LAMBDA_SYNC_PAYLOAD_BYTES + 1);
    expect({ status: response.status, body: await response.json() }).toStrictEqual({
      status: 413,
      body: { message: 'Request Entity Too Large' },
    });
    expect(logged.at(-1)).toContain(String(LAMBDA_SYNC_PAYLOAD_BYTES));
    expect(calls).toBe(before);
  });

  it("answers the HTTP API's 413 for a body over 10 MB, logging the quota", async () => {
    const response = await post(HTTP_API_BODY_BYTES + 1);
    expect({ status: response.status, body: await response.json() }).toStrictEqual({
      status: 413,
      body: { message: 'Request Entity Too Large' },
    });
    expect(logged.at(-1)).toContain(String(HTTP_API_BODY_BYTES));
  });

  it('answers 500 when the function returns more than 6 MB, as API Gateway does', async () => {
    const response = await fetch(`${api.url}/huge`);
    expect({ status: response.status, body: await response.json() }).toStrictEqual({
      status: 500,
      body: { message: 'Internal Server Error' },
    });
  });
});
