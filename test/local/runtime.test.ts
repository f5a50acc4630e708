import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { DescribeStateMachineCommand, ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { startRuntime, type RuntimeHandles } from '#local/runtime.ts';
import { testManifest } from '../fixtures/local/manifest.ts';
import { sfnClient } from './support.ts';

let runtime: RuntimeHandles;

beforeAll(async () => {
  runtime = await startRuntime({ manifest: testManifest });
});

afterAll(async () => {
  await runtime.stop();
});

interface Echo {
  event: Record<string, unknown> & { requestContext: Record<string, unknown> & { http: Record<string, unknown> } };
  env: Record<string, unknown>;
}

describe('the runtime deploys the manifest', () => {
  it('creates the tables and the state machines with references resolved', async () => {
    const tables = await runtime.dynamodb.client.send(new ListTablesCommand({}));
    const sfn = sfnClient(runtime.sfn.url);
    const machines = await sfn.send(new ListStateMachinesCommand({}));
    const restart = await sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:states:eu-west-2:000000000000:stateMachine:restart' }),
    );
    sfn.destroy();

    expect(tables.TableNames).toStrictEqual(['test-register']);
    expect((await runtime.dynamodb.client.send(new DescribeTableCommand({ TableName: 'test-register' }))).Table?.TableStatus).toBe(
      'ACTIVE',
    );
    expect(machines.stateMachines?.map((m) => m.name)).toStrictEqual(['restart']);
    expect(JSON.parse(restart.definition ?? '').States.Prepare.Resource).toBe('arn:aws:lambda:eu-west-2:000000000000:function:prepare');
  });

  it('points the AWS SDK of in-process handlers at the stand-ins', async () => {
    expect(process.env['AWS_ENDPOINT_URL_DYNAMODB']).toBe(runtime.dynamodb.url);
    expect(process.env['AWS_ENDPOINT_URL_SFN']).toBe(runtime.sfn.url);
    expect(process.env['AWS_ENDPOINT_URL_SESV2']).toBe(runtime.ses.url);
    expect(process.env['AWS_REGION']).toBe('eu-west-2');
    const ses = new SESv2Client({});
    const sent = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'panel@s117.local',
        Destination: { ToAddresses: ['member@icb.example'] },
        Content: { Simple: { Subject: { Data: 'Decision needed' }, Body: { Html: { Data: '<a href="http://x/approve">Approve</a>' } } } },
      }),
    );
    ses.destroy();
    const store = (await (await fetch(`${runtime.ses.url}/store`)).json()) as {
      emails: { messageId: string; subject: string; destination: { to: string[] } }[];
    };

    expect(store.emails.map((e) => [e.messageId, e.subject, e.destination.to])).toStrictEqual([
      [sent.MessageId, 'Decision needed', ['member@icb.example']],
    ]);
  });
});

describe('the API Gateway stand-in', () => {
  it('turns a request into an HTTP API v2 event and sends the handler result back unchanged', async () => {
    const response = await fetch(`${runtime.api.url}/v1/echo/A%2D7?status=open&status=interim&x=1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'r-1', Cookie: 'a=1; b=2', 'User-Agent': 'vitest' },
      body: JSON.stringify({ decision: 'accept' }),
    });
    const echo = (await response.json()) as Echo;
    const { event } = echo;

    expect(response.status).toBe(201);
    expect(response.headers.get('x-function')).toBe('echo');
    expect(response.headers.getSetCookie()).toStrictEqual(['session=abc; HttpOnly', 'theme=dark']);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'ANY /v1/echo/{id}',
      rawPath: '/v1/echo/A%2D7',
      rawQueryString: 'status=open&status=interim&x=1',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { status: 'open,interim', x: '1' },
      pathParameters: { id: 'A-7' },
      body: '{"decision":"accept"}',
      isBase64Encoded: false,
    });
    expect(event['headers']).toMatchObject({ 'content-type': 'application/json', 'x-request-id': 'r-1', 'user-agent': 'vitest' });
    expect(event.requestContext).toMatchObject({ accountId: '000000000000', routeKey: 'ANY /v1/echo/{id}', stage: '$default' });
    expect(event.requestContext.http).toStrictEqual({
      method: 'POST',
      path: '/v1/echo/A%2D7',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'vitest',
    });
    expect(typeof event.requestContext['requestId']).toBe('string');
    expect(Math.abs(Number(event.requestContext['timeEpoch']) - Date.now())).toBeLessThan(5_000);
    expect(echo.env).toStrictEqual({ REGISTER_TABLE: 'test-register', API_BASE_URL: runtime.api.url });
  });

  it('fills greedy path parameters', async () => {
    const echo = (await (await fetch(`${runtime.api.url}/v1/files/a/b.pdf`)).json()) as Echo;
    expect(echo.event['pathParameters']).toStrictEqual({ proxy: 'a/b.pdf' });
    expect(echo.event['routeKey']).toBe('GET /v1/files/{proxy+}');
  });

  it('answers HEAD from the GET route without a body', async () => {
    const response = await fetch(`${runtime.api.url}/v1/files/report.pdf`, { method: 'HEAD' });
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('');
  });

  it("answers an unknown route with the HTTP API's own 404", async () => {
    const response = await fetch(`${runtime.api.url}/v1/nothing-here`, { method: 'DELETE' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toStrictEqual({ message: 'Not Found' });
  });

  it('answers GET /health', async () => {
    const response = await fetch(`${runtime.api.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toStrictEqual({ status: 'ok' });
  });
});

describe('a runtime that is still starting', () => {
  it('answers every request 503 with Retry-After until it opens, never 404 or 403; then serves the routes', async () => {
    const starting = await startRuntime({ manifest: testManifest, holdTraffic: true, setProcessEnv: false });
    try {
      const held = await Promise.all(
        ['/v1/files/report.pdf', '/v1/nothing-here', '/health'].map(async (path) => {
          const response = await fetch(`${starting.api.url}${path}`);
          return [response.status, response.headers.get('retry-after'), response.headers.get('content-type'), await response.json()];
        }),
      );
      starting.open();
      const served = await fetch(`${starting.api.url}/health`);

      // In the gateway's own shape, as AWS answers when nothing behind it can take the request.
      const unavailable = { message: 'Service Unavailable' };
      expect(held).toStrictEqual([
        [503, '1', 'application/json', unavailable],
        [503, '1', 'application/json', unavailable],
        [503, '1', 'application/json', unavailable],
      ]);
      expect([served.status, await served.json()]).toStrictEqual([200, { status: 'ok' }]);
    } finally {
      await starting.stop();
    }
  });
});
