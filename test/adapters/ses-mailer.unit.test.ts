import { MessageRejected, SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesMailer } from '#functions/adapters/ses/mailer.ts';
import { sent } from './sent.ts';

const ses = mockClient(SESv2Client);
const client = new SESv2Client({ region: 'eu-west-2', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const message = {
  to: ['s117@icb.example', 's117@la.example'],
  subject: 'Funding application app_1: please respond',
  text: 'Please accept or dispute by 11 June 2024.',
  html: '<p>Please accept or dispute by 11&nbsp;June 2024.</p>',
};

beforeEach(() => ses.reset());

describe('SesMailer', () => {
  it('sends one SendEmail with UTF-8 text and HTML, the configuration set and the tags', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = new SesMailer(client, { from: 's117 <no-reply@s117.example>', configurationSet: 's117-mail' });
    expect(await mailer.send({ ...message, tags: { purpose: 'request-response', application: 'app_1' } })).toStrictEqual({
      messageId: 'm-1',
    });
    expect(sent(ses)).toStrictEqual([
      {
        command: 'SendEmailCommand',
        input: {
          FromEmailAddress: 's117 <no-reply@s117.example>',
          Destination: { ToAddresses: ['s117@icb.example', 's117@la.example'] },
          Content: {
            Simple: {
              Subject: { Data: 'Funding application app_1: please respond', Charset: 'UTF-8' },
              Body: {
                Text: { Data: 'Please accept or dispute by 11 June 2024.', Charset: 'UTF-8' },
                Html: { Data: '<p>Please accept or dispute by 11&nbsp;June 2024.</p>', Charset: 'UTF-8' },
              },
            },
          },
          ConfigurationSetName: 's117-mail',
          EmailTags: [
            { Name: 'purpose', Value: 'request-response' },
            { Name: 'application', Value: 'app_1' },
          ],
        },
      },
    ]);
  });

  it('leaves out the configuration set and tags when there are none', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-2' });
    await new SesMailer(client, { from: 'no-reply@s117.example' }).send(message);
    expect(sent(ses)[0]?.input).toStrictEqual({
      FromEmailAddress: 'no-reply@s117.example',
      Destination: { ToAddresses: ['s117@icb.example', 's117@la.example'] },
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
        },
      },
    });
  });

  it('lets an SES rejection through for the task to retry', async () => {
    ses.on(SendEmailCommand).rejects(new MessageRejected({ message: 'Email address is not verified.', $metadata: {} }));
    await expect(new SesMailer(client, { from: 'no-reply@s117.example' }).send(message)).rejects.toThrow(MessageRejected);
  });
});
