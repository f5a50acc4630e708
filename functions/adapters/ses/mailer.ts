/** Sends mail through SES v2 (locally aws-ses-v2-local, found through AWS_ENDPOINT_URL_SESV2). */
import { sesSdk, type SESv2Client } from './sdk.ts';
import type { Mailer, MailMessage } from '#domain/ports.ts';

export interface SesMailerOptions {
  from: string;
  configurationSet?: string;
}

export class SesMailer implements Mailer {
  readonly #ses: SESv2Client;
  readonly #options: SesMailerOptions;

  constructor(ses: SESv2Client, options: SesMailerOptions) {
    this.#ses = ses;
    this.#options = options;
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const tags = Object.entries(message.tags ?? {}).map(([Name, Value]) => ({ Name, Value }));
    const { SendEmailCommand } = sesSdk();
    const result = await this.#ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.#options.from,
        Destination: { ToAddresses: message.to },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
          },
        },
        ...(this.#options.configurationSet === undefined ? {} : { ConfigurationSetName: this.#options.configurationSet }),
        ...(tags.length === 0 ? {} : { EmailTags: tags }),
      }),
    );
    if (result.MessageId === undefined) throw new Error('SES accepted the message without a message id');
    return { messageId: result.MessageId };
  }
}
