/** The panel functions' ports: a view over the composition root (functions/adapters/root.ts) plus their settings. */
import { createHash, randomBytes } from 'node:crypto';
import { ports, portsView } from '../adapters/root.ts';
import { env, required } from '../shared/env.ts';
import { panelEpisodes } from '../register/panel-episodes.ts';
import type { PanelDeps } from './panel-steps.ts';

/** 192 bits of randomness, base64url (32 characters): approval ids and form tokens. */
export const randomId = (): string => randomBytes(24).toString('base64url');
export const sha256 = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

export function panelDeps(): PanelDeps {
  const e = env();
  return portsView(['panels', 'applications', 'chronology', 'directory', 'tokens', 'mailLog', 'mailer', 'workflow', 'clock'], {
    get episodes() {
      return panelEpisodes(ports().register);
    },
    appBaseUrl: e.APP_BASE_URL.replace(/\/$/, ''),
    // Read when used: only request-panel-decision is given it (least privilege).
    get remindersStateMachineArn() {
      return required(e, 'PANEL_REMINDERS_STATE_MACHINE_ARN');
    },
    randomId,
    hash: sha256,
  });
}
