import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CreateStateMachineCommand, type SFNClient } from '@aws-sdk/client-sfn';
import validator from 'asl-validator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '#local/clock.ts';
import { loadDefinition } from '#local/definitions.ts';
import { functionArn } from '#local/sfn/lambda.ts';
import { startSfnServer, type SfnServer } from '#local/sfn-server.ts';
import { DEFAULT_PANEL_TIMING, nextCheckpoint, type ReminderLoopState } from '#domain/panels/panel.ts';
import { panelReminderTasks } from '#lib/manifest/panels.ts';
import { eventually, finished, start, statesEntered, sfnClient } from '../local/support.ts';

const FILE = fileURLToPath(new URL('../../statemachines/panel-reminders.asl.json', import.meta.url));
const substitutions = Object.fromEntries(Object.entries(panelReminderTasks).map(([k, v]) => [k, functionArn(v)]));
const DAY_MS = 86_400_000;
const T0 = Date.parse('2025-03-01T09:00:00Z');

const clock = new VirtualClock(T0);
const calls: { fn: string; day: number; checkpoint: number }[] = [];
let decidedAfterCalls = Number.POSITIVE_INFINITY;
let failing: string | null = null;
let server: SfnServer;
let client: SFNClient;
let machineArn: string;
const ids = { panelRequestId: 'pnl_0123456789abcdef0123456789abcdef', applicationId: 'app_12345678' };

beforeAll(async () => {
  server = await startSfnServer({ clock });
  // Fakes that walk the real schedule (domain/panels/panel.ts), as the panel steps do; "decided" after N calls.
  for (const fn of Object.values(panelReminderTasks)) {
    server.functions.register(fn, async (event) => {
      const state = event as ReminderLoopState;
      calls.push({ fn, day: (clock.now() - T0) / DAY_MS, checkpoint: state.checkpoint });
      if (failing === fn) {
        const error = new Error('failed in test');
        error.name = 'PanelRequestChangedError';
        throw error;
      }
      const next = nextCheckpoint(DEFAULT_PANEL_TIMING, ids, state.checkpoint, calls.length >= decidedAfterCalls);
      return fn === 'resolve-no-decision' ? { ...next, next: 'done' } : next;
    });
  }
  client = sfnClient(server.url);
  const created = await client.send(
    new CreateStateMachineCommand({
      name: 'panel-reminders',
      definition: loadDefinition(FILE, substitutions),
      roleArn: 'arn:aws:iam::000000000000:role/test',
    }),
  );
  machineArn = created.stateMachineArn ?? '';
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

beforeEach(() => {
  calls.length = 0;
  decidedAfterCalls = Number.POSITIVE_INFINITY;
  failing = null;
});

/** Waits for the execution's next Wait timer and moves the clock exactly to it. */
async function toNextCheckpoint(arn: string): Promise<void> {
  const timer = await eventually(
    () => clock.pending().find((t) => t.label.includes(arn) && t.label.includes('WaitForCheckpoint')),
    'the next checkpoint timer',
  );
  const before = calls.length;
  clock.advance(timer.dueAt - clock.now());
  await eventually(() => (calls.length > before ? true : undefined), 'the checkpoint step');
}

const LOOP = ['DoneOrWait', 'WaitForCheckpoint', 'WhichCheckpoint'];

describe('panel-reminders.asl.json paths (VirtualClock)', () => {
  it('nobody decides: reminders on days 2, 4 and 6, escalation on day 7, no-decision on day 10', async () => {
    const startedAt = clock.now();
    const arn = await start(client, machineArn, nextCheckpoint(DEFAULT_PANEL_TIMING, ids, -1, false));
    for (let i = 0; i < 5; i++) await toNextCheckpoint(arn);
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect(calls.map((c) => [c.fn, c.day - (startedAt - T0) / DAY_MS, c.checkpoint])).toStrictEqual([
      ['send-panel-reminders', 2, 0],
      ['send-panel-reminders', 4, 1],
      ['send-panel-reminders', 6, 2],
      ['escalate-panel', 7, 3],
      ['resolve-no-decision', 10, 4],
    ]);
    expect(await statesEntered(client, arn)).toStrictEqual([
      ...LOOP,
      'SendPanelReminders',
      ...LOOP,
      'SendPanelReminders',
      ...LOOP,
      'SendPanelReminders',
      ...LOOP,
      'EscalatePanel',
      ...LOOP,
      'ResolveNoDecision',
      'DoneOrWait',
      'PanelClosed',
    ]);
  });

  it('decided before the second reminder: the loop closes at the next checkpoint, without escalating', async () => {
    decidedAfterCalls = 2;
    const arn = await start(client, machineArn, nextCheckpoint(DEFAULT_PANEL_TIMING, ids, -1, false));
    await toNextCheckpoint(arn);
    await toNextCheckpoint(arn);
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect(await statesEntered(client, arn)).toStrictEqual([
      ...LOOP,
      'SendPanelReminders',
      ...LOOP,
      'SendPanelReminders',
      'DoneOrWait',
      'PanelClosed',
    ]);
    expect(clock.pending().filter((t) => t.label.includes(arn))).toStrictEqual([]);
  });

  it('already decided when started: closes at once', async () => {
    const arn = await start(client, machineArn, nextCheckpoint(DEFAULT_PANEL_TIMING, ids, -1, true));
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect(await statesEntered(client, arn)).toStrictEqual(['DoneOrWait', 'PanelClosed']);
  });

  it("a step that keeps failing ends the loop as failed (the waiting workflow's timeout is the backstop)", async () => {
    failing = 'send-panel-reminders';
    const arn = await start(client, machineArn, nextCheckpoint(DEFAULT_PANEL_TIMING, ids, -1, false));
    await toNextCheckpoint(arn);
    const done = await finished(client, arn, 15_000);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('PanelReminderLoopFailed');
    expect(calls.filter((c) => c.fn === 'send-panel-reminders')).toHaveLength(3);
  });
});

describe('panel-reminders.asl.json, statically', () => {
  const raw = readFileSync(FILE, 'utf8');
  it('passes asl-validator once substituted', () => {
    const { isValid, errorsText } = validator(JSON.parse(loadDefinition(FILE, substitutions)) as object);
    expect(errorsText()).toBe('');
    expect(isValid).toBe(true);
  });

  it('uses every substitution it is given, and needs no other', () => {
    expect([...new Set([...raw.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]))].sort()).toStrictEqual(
      Object.keys(panelReminderTasks).sort(),
    );
  });
});
