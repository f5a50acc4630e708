/**
 * The SES half of the composition root: the mailer over one SESv2 client. Importing this module loads
 * `@aws-sdk/client-sesv2`, so only handlers that send mail import it (AWS_ENDPOINT_URL_SESV2 locally).
 */
import { sesSdk, type SESv2Client } from './sdk.ts';
import { SesMailer } from './mailer.ts';

export interface SesAdapterEnv {
  mailFrom: string;
  configurationSet?: string;
  region?: string;
}

export interface SesAdapters {
  mailer: SesMailer;
  clients: { ses: SESv2Client };
}

export function createSesAdapters(env: SesAdapterEnv): SesAdapters {
  const ses = new (sesSdk().SESv2Client)(env.region === undefined ? {} : { region: env.region });
  return {
    mailer: new SesMailer(ses, {
      from: env.mailFrom,
      ...(env.configurationSet === undefined ? {} : { configurationSet: env.configurationSet }),
    }),
    clients: { ses },
  };
}
