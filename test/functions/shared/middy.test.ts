/** The one middleware stack: error mapping, header casing, the log line (no personal data), and tasks that throw. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ConcurrentUpdateError, ConfigurationError } from '#domain/errors.ts';
import { parseEnv } from '#functions/shared/env.ts';
import { ProblemError } from '#functions/shared/http-errors.ts';
import { httpHandler, taskHandler } from '#functions/shared/middy.ts';
import { context } from '../../fixtures/context.ts';
import { event, fixture } from '../api/support.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

const echo = httpHandler(
  { schemas: { headers: z.object({ 'x-thing': z.string() }), body: z.object({ n: z.int() }) }, auth: 'required' },
  async ({ headers, body, caller }) => ({ statusCode: 200, body: { thing: headers['x-thing'], n: body.n, org: caller.org } }),
);

describe('httpHandler', () => {
  it('reads headers whatever their casing and answers JSON', async () => {
    const e = event('determine', { body: { n: 3 }, headers: { 'X-Thing': 'yes' } });

    const result = await echo(e, context);

    expect(result).toStrictEqual({
      statusCode: 200,
      headers: { 'cache-control': 'no-store', 'content-type': 'application/json' },
      body: '{"thing":"yes","n":3,"org":"LA-A"}',
    });
  });

  it.each([
    {
      error: new ConcurrentUpdateError(),
      status: 409,
      detail: 'The application changed while this request was being handled; read it again and retry.',
    },
    { error: new ProblemError(410, 'The link has expired.'), status: 410, detail: 'The link has expired.' },
    { error: new ProblemError(422, 'Cannot act on it.'), status: 422, detail: 'Cannot act on it.' },
  ])('maps $error.name to $status', async ({ error, status, detail }) => {
    const failing = httpHandler({ schemas: {}, auth: 'none' }, async () => {
      throw error;
    });

    const result = await failing(fixture('openapi'), context);

    expect(result.statusCode).toBe(status);
    expect(JSON.parse(result.body ?? '{}')).toMatchObject({ status, detail, instance: '/v1/openapi.json' });
  });

  it('answers anything else with a bare 500 that carries no message', async () => {
    const failing = httpHandler({ schemas: {}, auth: 'none' }, async () => {
      throw new TypeError('Cannot read properties of undefined (reading nhsNumber 9434765919)');
    });

    const result = await failing(fixture('openapi'), context);

    expect(result).toStrictEqual({
      statusCode: 500,
      headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
      body: JSON.stringify({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: 'The server could not complete the request.',
        instance: '/v1/openapi.json',
      }),
    });
  });

  it('logs the method, route, status, request id and caller organisation, never the body or the token', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const e = event('determine', { body: { n: 1, nhsNumber: '9434765919', name: 'Alex Example' }, headers: { 'x-thing': 'Alex Example' } });

    await echo(e, context);

    const logged = lines.join('');
    expect(logged).toContain('"route":"POST /v1/determinations"');
    expect(logged).toContain('"status":200');
    expect(logged).toContain('"callerOrg":"LA-A"');
    expect(logged).toContain('"requestId":"YnF3zgzmrPEEMhA="');
    expect(logged).not.toMatch(/9434765919|Alex Example|eyJhbGci/);
  });
});

describe('taskHandler', () => {
  it('throws the error with its name so Step Functions can Retry and Catch it', async () => {
    const task = taskHandler(async (_input: { applicationId: string }) => {
      throw new ConcurrentUpdateError();
    });

    await expect(task({ applicationId: 'app_1' }, context)).rejects.toThrow(ConcurrentUpdateError);
  });

  it('returns the output on success', async () => {
    const task = taskHandler(async (input: { applicationId: string }) => ({ seen: input.applicationId }));

    await expect(task({ applicationId: 'app_1' }, context)).resolves.toStrictEqual({ seen: 'app_1' });
  });
});

describe('parseEnv', () => {
  const valid = {
    REGISTER_TABLE_NAME: 'Register',
    FUNDING_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-2:123456789012:stateMachine:F',
    MAIL_FROM: 's117@example.test',
    APP_BASE_URL: 'http://127.0.0.1:4000',
    PERSON_REF_KEY_SECRET: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:person-ref-key-AbCdEf',
  };

  it('reads a complete environment', () => {
    expect(parseEnv({ ...valid, SES_CONFIGURATION_SET: 'notify', OTHER: 'ignored' })).toStrictEqual({
      ...valid,
      SES_CONFIGURATION_SET: 'notify',
    });
  });

  it('names every missing or malformed variable, never its value', () => {
    const bad = { ...valid, APP_BASE_URL: 'not a url', PERSON_REF_KEY_SECRET: '', REGISTER_TABLE_NAME: undefined };

    expect(() => parseEnv(bad)).toThrow(
      new ConfigurationError('Missing or invalid environment variables: REGISTER_TABLE_NAME, APP_BASE_URL, PERSON_REF_KEY_SECRET'),
    );
  });
});
