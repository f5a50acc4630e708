/**
 * The panel functions' ports over the real adapters. Like functions/tasks/step-deps.ts, each handler passes the
 * adapter factories it links (the pages need no SES client), and clients are built once per cold start, on first
 * use; a port a handler was not given throws when used.
 */
import { createHash, randomBytes } from 'node:crypto';
import { linkAdapters, type AdapterFactories } from '../adapters/linked.ts';
import { systemClock } from '../shared/clock.ts';
import { env, required } from '../shared/env.ts';
import { DynamoRegisterStore } from '../adapters/dynamodb/register.ts';
import { panelEpisodes } from '../register/panel-episodes.ts';
import { DynamoPanelStore } from '../adapters/dynamodb/panels.ts';
import type { PanelDeps } from './panel-steps.ts';

/** 192 bits of randomness, base64url (32 characters): approval ids and form tokens. */
export const randomId = (): string => randomBytes(24).toString('base64url');
export const sha256 = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** The adapter factories a handler links in (functions/adapters/linked.ts). */
export type PanelAdapterFactories = AdapterFactories;

let panels: DynamoPanelStore | undefined;

export function panelDeps(factories: PanelAdapterFactories): PanelDeps {
  const e = env();
  const linked = linkAdapters(factories, e, 'panelDeps');
  return {
    get panels() {
      return (panels ??= new DynamoPanelStore(linked.dynamo().clients.documents, e.REGISTER_TABLE_NAME));
    },
    get applications() {
      return linked.dynamo().applications;
    },
    get chronology() {
      return linked.dynamo().chronology;
    },
    get directory() {
      return linked.dynamo().directory;
    },
    get tokens() {
      return linked.dynamo().tokens;
    },
    get mailLog() {
      return linked.dynamo().mailLog;
    },
    get episodes() {
      return panelEpisodes(new DynamoRegisterStore(linked.dynamo().clients.documents, e.REGISTER_TABLE_NAME));
    },
    get mailer() {
      return linked.ses().mailer;
    },
    get workflow() {
      return linked.sfn().workflow;
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
