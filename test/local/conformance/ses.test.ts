/**
 * Conformance of the SES stand-in (local/ses.ts): every SES v2 command of `@aws-sdk/client-sesv2` and every SES v1
 * action (the Query API; the v1 SDK client is not a dependency, so v1 is driven with signed-looking form posts and,
 * where it is on PATH, the AWS CLI) answers or is refused at once; malformed and unverified senders are refused
 * as SES refuses them. A hang would show as the client's request timeout (a guard, not a timed assertion). What SES
 * does that the stand-in knowingly does not copy (the sandbox's verified recipients, sending quotas, bounces and
 * complaints, identities, configuration sets, receipt rules) is listed in local/README.md.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as sesv2 from '@aws-sdk/client-sesv2';
import { GetAccountCommand, SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAddress, startSes, type LocalSes } from '#local/ses.ts';

/** Every action of the SES v1 API (2010-12-01), as its service model lists them. */
const V1_ACTIONS = `CloneReceiptRuleSet CreateConfigurationSet CreateConfigurationSetEventDestination CreateConfigurationSetTrackingOptions
CreateCustomVerificationEmailTemplate CreateReceiptFilter CreateReceiptRule CreateReceiptRuleSet CreateTemplate DeleteConfigurationSet
DeleteConfigurationSetEventDestination DeleteConfigurationSetTrackingOptions DeleteCustomVerificationEmailTemplate DeleteIdentity
DeleteIdentityPolicy DeleteReceiptFilter DeleteReceiptRule DeleteReceiptRuleSet DeleteTemplate DeleteVerifiedEmailAddress
DescribeActiveReceiptRuleSet DescribeConfigurationSet DescribeReceiptRule DescribeReceiptRuleSet GetAccountSendingEnabled
GetCustomVerificationEmailTemplate GetIdentityDkimAttributes GetIdentityMailFromDomainAttributes GetIdentityNotificationAttributes
GetIdentityPolicies GetIdentityVerificationAttributes GetSendQuota GetSendStatistics GetTemplate ListConfigurationSets
ListCustomVerificationEmailTemplates ListIdentities ListIdentityPolicies ListReceiptFilters ListReceiptRuleSets ListTemplates
ListVerifiedEmailAddresses PutConfigurationSetDeliveryOptions PutIdentityPolicy ReorderReceiptRuleSet SendBounce SendBulkTemplatedEmail
SendCustomVerificationEmail SendEmail SendRawEmail SendTemplatedEmail SetActiveReceiptRuleSet SetIdentityDkimEnabled
SetIdentityFeedbackForwardingEnabled SetIdentityHeadersInNotificationsEnabled SetIdentityMailFromDomain SetIdentityNotificationTopic
SetReceiptRulePosition TestRenderTemplate UpdateAccountSendingEnabled UpdateConfigurationSetEventDestination
UpdateConfigurationSetReputationMetricsEnabled UpdateConfigurationSetSendingEnabled UpdateConfigurationSetTrackingOptions
UpdateCustomVerificationEmailTemplate UpdateReceiptRule UpdateTemplate VerifyDomainDkim VerifyDomainIdentity VerifyEmailAddress
VerifyEmailIdentity`.split(/\s+/);

const GUARD_MS = 5_000;
let ses: LocalSes;
let client: SESv2Client;

beforeAll(async () => {
  ses = await startSes({ verifiedIdentities: ['s117.example.org', 'named@elsewhere.example.com'] });
  client = new SESv2Client({
    endpoint: ses.url,
    region: 'eu-west-2',
    maxAttempts: 1,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: { requestTimeout: GUARD_MS, connectionTimeout: GUARD_MS },
  });
});

afterAll(async () => {
  client.destroy();
  await ses.close();
});

const v1 = (form: Record<string, string>): Promise<Response> =>
  fetch(ses.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/eu-west-2/ses/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: new URLSearchParams({ Version: '2010-12-01', ...form }),
    signal: AbortSignal.timeout(GUARD_MS),
  });
const v1Code = async (response: Response): Promise<string | undefined> => /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];

const email = (from: string, to = 'someone@example.net') =>
  new SendEmailCommand({
    FromEmailAddress: from,
    Destination: { ToAddresses: [to] },
    Content: { Simple: { Subject: { Data: 'Subject' }, Body: { Text: { Data: 'Body' } } } },
  });
const refusal = async (promise: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> => {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the request to be refused');
};

describe('SES v1: every action answers or is refused at once', () => {
  it.each(V1_ACTIONS.filter((a) => a !== 'SendEmail' && a !== 'SendRawEmail'))('%s is refused with NotImplemented', async (Action) => {
    const response = await v1({ Action });
    expect(response.status).toBe(501);
    expect(await v1Code(response)).toBe('NotImplemented');
  });

  it('a post with no Action answers MissingAction, and one without credentials is refused', async () => {
    const response = await v1({});
    expect([response.status, await v1Code(response)]).toStrictEqual([400, 'MissingAction']);
    const anonymous = await fetch(ses.url, { method: 'POST', body: new URLSearchParams({ Action: 'GetSendQuota' }) });
    expect(anonymous.status).toBe(403);
  });

  const send = (Source: string, to = 'someone@example.net') =>
    v1({
      Action: 'SendEmail',
      Source,
      'Destination.ToAddresses.member.1': to,
      'Message.Subject.Data': 'Subject',
      'Message.Body.Text.Data': 'Body',
    });

  it('SendEmail from a verified sender is delivered to the inbox', async () => {
    const response = await send('"s117" <no-reply@s117.example.org>');
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/<MessageId>[^<]+<\/MessageId>/);
  });

  it.each([
    ['no-at-sign', 'InvalidParameterValue', "Missing final '@domain'"],
    ['two@@s117.example.org', 'InvalidParameterValue', 'Illegal address'],
    ['no-reply@unverified.example.com', 'MessageRejected', 'Email address is not verified'],
  ])('SendEmail from %s is refused (%s)', async (source, code, message) => {
    const response = await send(source);
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain(`<Code>${code}</Code>`);
    expect(text).toContain(message);
  });

  it('a SendEmail aws-ses-v2-local refuses (no subject) comes back as an SES v1 error', async () => {
    const response = await v1({
      Action: 'SendEmail',
      Source: 'no-reply@s117.example.org',
      'Destination.ToAddresses.member.1': 'a@example.net',
    });
    expect([response.status, await v1Code(response)]).toStrictEqual([400, 'InvalidParameterValue']);
  });

  it('SendEmail to a malformed recipient, and SendRawEmail from a malformed From header, are refused', async () => {
    expect(await v1Code(await send('no-reply@s117.example.org', 'nobody'))).toBe('InvalidParameterValue');
    const raw = Buffer.from('From: not an address\r\nTo: someone@example.net\r\nSubject: s\r\n\r\nbody').toString('base64');
    const response = await v1({ Action: 'SendRawEmail', 'RawMessage.Data': raw });
    expect([response.status, await v1Code(response)]).toStrictEqual([400, 'InvalidParameterValue']);
    const good = Buffer.from('From: no-reply@s117.example.org\r\nTo: someone@example.net\r\nSubject: s\r\n\r\nbody').toString('base64');
    expect((await v1({ Action: 'SendRawEmail', 'RawMessage.Data': good })).status).toBe(200);
  });
});

describe('SES v2: every command of the SDK answers or is refused at once', () => {
  type AnyCommand = new (input: object) => sesv2.SendEmailCommand;
  const commands = Object.entries(sesv2 as Record<string, unknown>)
    .filter(([name, value]) => name.endsWith('Command') && name !== '$Command' && typeof value === 'function')
    .map(([name, value]) => [name, value as AnyCommand] as const);

  it('covers the whole client', () => {
    expect(commands.length).toBeGreaterThan(90);
  });

  it.each(commands)('%s', async (_, Command) => {
    // Fill the URI labels the serializer insists on, one at a time, with a placeholder.
    const input: Record<string, string> = {};
    for (let attempt = 0; attempt < 5; attempt += 1) {
      try {
        await client.send(new Command(input));
        return; // answered
      } catch (error) {
        const e = error as Error & { $metadata?: { httpStatusCode?: number } };
        const label = /No value provided for input HTTP label: (\w+)/.exec(e.message)?.[1];
        if (label !== undefined) {
          input[label] = 'placeholder';
          continue;
        }
        expect(e.name).not.toMatch(/Timeout|Abort/);
        expect(e.$metadata?.httpStatusCode).toBeGreaterThanOrEqual(400);
        return;
      }
    }
    throw new Error('too many URI labels');
  });

  it('an operation the stand-in lacks is refused as NotImplemented, with its message', async () => {
    const refused = await refusal(client.send(new sesv2.ListEmailIdentitiesCommand({})));
    expect(refused).toMatchObject({ name: 'NotImplemented', status: 501 });
    expect(refused.message).toContain('not implemented by the local SES stand-in');
  });

  it('sends from a verified sender; refuses a malformed one (BadRequestException) and an unverified one (MessageRejected)', async () => {
    expect((await client.send(email('no-reply@s117.example.org'))).MessageId).toBeTruthy();
    expect((await client.send(email('named@elsewhere.example.com'))).MessageId).toBeTruthy();
    expect(await refusal(client.send(email('no-reply')))).toMatchObject({
      name: 'BadRequestException',
      message: "Missing final '@domain'",
    });
    expect(await refusal(client.send(email('no-reply@s117.example.org', 'a b@example.net')))).toMatchObject({
      name: 'BadRequestException',
      message: 'Illegal address',
    });
    expect((await refusal(client.send(email('other@elsewhere.example.com')))).name).toBe('MessageRejected');
    expect(await client.send(new GetAccountCommand({}))).toMatchObject({ SendingEnabled: true, ProductionAccessEnabled: true });
  });

  it('names the errors aws-ses-v2-local answers, with its detail as the message', async () => {
    const missing = await refusal(client.send(new sesv2.GetEmailTemplateCommand({ TemplateName: 'absent' })));
    expect([missing.name, missing.status]).toStrictEqual(['NotFoundException', 404]);
    const noBody = await refusal(
      client.send(
        new SendEmailCommand({
          FromEmailAddress: 'no-reply@s117.example.org',
          Destination: { ToAddresses: ['a@example.net'] },
          Content: {},
        }),
      ),
    );
    expect(noBody.name).toBe('BadRequestException');
    expect(noBody.message).not.toBe('Bad Request Exception');
  });

  it('reads addresses as SES does', () => {
    expect(checkAddress('"Panel, s117" <panel@s117.example.org>')).toStrictEqual({ address: 'panel@s117.example.org' });
    expect(checkAddress('panel@localhost')).toStrictEqual({ problem: 'Illegal address' });
  });
});

const run = promisify(execFile);
const awsCli = await run('aws', ['--version']).then(
  () => true,
  () => false,
);
if (!awsCli) console.log('Skipping the AWS CLI checks: `aws` is not on PATH.');

describe.skipIf(!awsCli)('the AWS CLI against the stand-in', () => {
  it('aws ses get-send-quota, list-identities and get-account-sending-enabled are refused at once, not left hanging', async () => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: 'eu-west-2' };
    for (const command of ['get-send-quota', 'list-identities', 'get-account-sending-enabled']) {
      const failed = await run(
        'aws',
        ['--endpoint-url', ses.url, '--cli-read-timeout', '5', '--cli-connect-timeout', '5', 'ses', command],
        { env },
      ).then(
        () => '',
        (error: unknown) => String((error as { stderr: string }).stderr),
      );
      expect(failed).toContain('(NotImplemented)');
    }
  }, 60_000);
});
