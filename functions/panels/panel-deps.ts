/**
 * The panel functions' ports over the real adapters. Like functions/tasks/step-deps.ts, each handler passes the
 * adapter factories it links (the pages need no SES client), and clients are built once per cold start, on first
 * use; a port a handler was not given throws when used.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ConfigurationError } from '../../domain/errors.ts';
import type { createDynamoAdapters, DynamoAdapters } from '../adapters/dynamodb/index.ts';
import type { createSesAdapters, SesAdapters } from '../adapters/ses/index.ts';
import type { createSfnAdapters, SfnAdapters } from '../adapters/sfn/index.ts';
import { systemClock } from '../shared/clock.ts';
import { env, required } from '../shared/env.ts';
import { DynamoRegisterStore } from '../register/dynamodb-store.ts';
import { panelEpisodes } from '../register/panel-episodes.ts';
import { DynamoPanelStore } from './dynamodb-panel-store.ts';
import type { PanelDeps } from './panel-steps.ts';

/** 192 bits of randomness, base64url (32 characters): approval ids and form tokens. */
export const randomId = (): string => randomBytes(24).toString('base64url');
export const sha256 = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

export interface PanelAdapterFactories {
  dynamodb: typeof createDynamoAdapters;
  ses?: typeof createSesAdapters;
  sfn?: typeof createSfnAdapters;
}

let dynamo: DynamoAdapters | undefined;
let panels: DynamoPanelStore | undefined;
let ses: SesAdapters | undefined;
let sfn: SfnAdapters | undefined;

const missing = (adapter: string) => new ConfigurationError(`This handler was built without the ${adapter} adapter`);

export function panelDeps(factories: PanelAdapterFactories): PanelDeps {
  const e = env();
  const stores = (): DynamoAdapters => (dynamo ??= factories.dynamodb({ tableName: e.REGISTER_TABLE_NAME }));
  const mail = (): SesAdapters => {
    if (factories.ses === undefined) throw missing('SES');
    return (ses ??= factories.ses({ mailFrom: e.MAIL_FROM, ...(e.SES_CONFIGURATION_SET === undefined ? {} : { configurationSet: e.SES_CONFIGURATION_SET }) }));
  };
  const workflows = (): SfnAdapters => {
    if (factories.sfn === undefined) throw missing('Step Functions');
    return (sfn ??= factories.sfn());
  };
  return {
    get panels() {
      return (panels ??= new DynamoPanelStore(stores().clients.documents, e.REGISTER_TABLE_NAME));
    },
    get applications() {
      return stores().applications;
    },
    get chronology() {
      return stores().chronology;
    },
    get directory() {
      return stores().directory;
    },
    get tokens() {
      return stores().tokens;
    },
    get mailLog() {
      return stores().mailLog;
    },
    get episodes() {
      return panelEpisodes(new DynamoRegisterStore(stores().clients.documents, e.REGISTER_TABLE_NAME));
    },
    get mailer() {
      return mail().mailer;
    },
    get workflow() {
      return workflows().workflow;
    },
    clock: systemClock,
    appBaseUrl: e.APP_BASE_URL.replace(/\/$/, ''),
    // Read when used: only request-panel-decision is given it (least privilege).
    get remindersStateMachineArn() {
      return required(e, 'PANEL_REMINDERS_STATE_MACHINE_ARN');
    },
    randomId,
    hash: sha256,
  };
}
