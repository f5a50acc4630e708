import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CreateStateMachineCommand, DescribeExecutionCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import validator from 'asl-validator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '#local/clock.ts';
import { loadDefinition } from '#local/definitions.ts';
import { functionArn } from '#local/sfn/lambda.ts';
import { startSfnServer, type SfnServer } from '#local/sfn-server.ts';
import { WORKFLOW_ERROR_NAMES } from '#domain/errors.ts';
import { fundingApplicationTasks } from '#lib/app-manifest.ts';
import { eventually, finished, start, statesEntered, sfnClient } from '../local/support.ts';

const FILE = fileURLToPath(new URL('../../statemachines/funding-application.asl.json', import.meta.url));
const FUNDING_FUNCTIONS = fundingApplicationTasks;
const DISPUTE_MACHINE = 'arn:aws:states:eu-west-2:000000000000:stateMachine:dispute';
const substitutions = {
  ...Object.fromEntries(Object.entries(FUNDING_FUNCTIONS).map(([k, v]) => [k, functionArn(v)])),
  DisputeStateMachineArn: DISPUTE_MACHINE,
};
const DAY = 86_400;

type Fake = (event: Record<string, unknown>) => Promise<unknown>;
const calls: { fn: string; event: Record<string, unknown> }[] = [];
let fakes: Partial<Record<string, Fake>> = {};
let server: SfnServer;
let client: SFNClient;
let machineArn: string;
const clock = new VirtualClock(Date.parse('2025-03-01T09:00:00Z'));

const ok =
  (value: unknown): Fake =>
  async () =>
    value;
const fail =
  (name: string): Fake =>
  async () => {
    const error = new Error('failed in test');
    error.name = name;
    throw error;
  };

beforeAll(async () => {
  server = await startSfnServer({ clock });
  for (const name of Object.values(FUNDING_FUNCTIONS)) {
    server.functions.register(name, async (event) => {
      calls.push({ fn: name, event: event as Record<string, unknown> });
      const fake = fakes[name];
      if (!fake) throw new Error(`no fake for ${name}`);
      return fake(event as Record<string, unknown>);
    });
  }
  client = sfnClient(server.url);
  // The dispute workflow itself is tested in dispute.test.ts; here a stand-in that waits shows it was started.
  await client.send(
    new CreateStateMachineCommand({
      name: 'dispute',
      definition: JSON.stringify({ StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 3_600, End: true } } }),
      roleArn: 'arn:aws:iam::000000000000:role/test',
    }),
  );
  const created = await client.send(
    new CreateStateMachineCommand({
      name: 'funding-application',
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
  fakes = {
    'validate-application': ok({ applicationId: 'app_1', partnershipId: 'p' }),
    'determine-responsibility': ok({ route: 'await-responses', reason: 'sure', responseTimeoutSeconds: 10 * DAY }),
    'request-response': ok({ requested: true }),
    'decide-funding-route': ok({ route: 'agree' }),
    'record-agreement': ok({ arrangementId: 'arr_1', state: 'agreed' }),
    'record-interim-funding': ok({ arrangementId: 'arr_1', state: 'interim' }),
    'record-not-eligible': ok({ status: 'not-eligible' }),
    'request-panel-decision': ok({ panelRequestId: 'pnl_1', invited: 2 }),
  };
});

const tokenFor = (party: 'icb' | 'la') =>
  eventually(() => {
    const call = calls.find((c) => c.fn === 'request-response' && c.event['party'] === party);
    return typeof call?.event['taskToken'] === 'string' ? call.event['taskToken'] : undefined;
  }, `the ${party} task token`);
const answer = (token: string, decision: string) =>
  client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ decision }) }));
const interimCause = () => calls.find((c) => c.fn === 'record-interim-funding')?.event['cause'];

/** Top-level states in order; the two response branches run side by side, so their states are compared as a set. */
async function path(executionArn: string): Promise<{ main: string[]; branches: string[] }> {
  const entered = await statesEntered(client, executionArn);
  const branchStates = /^(AwaitIcbResponse|AwaitLaResponse|Icb|La|DidIcb|DidLa)/;
  return { main: entered.filter((s) => !branchStates.test(s)), branches: entered.filter((s) => branchStates.test(s)).sort() };
}

const HEAD = ['ValidateApplication', 'DetermineResponsibility', 'RouteAfterDetermination'];

describe('funding-application.asl.json paths', () => {
  it('both bodies accept → funding agreed', async () => {
    const arn = await start(client, machineArn, { applicationId: 'app_1' });
    await answer(await tokenFor('icb'), 'accept');
    await answer(await tokenFor('la'), 'accept');
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect(await path(arn)).toStrictEqual({
      main: [...HEAD, 'AwaitResponses', 'DecideFundingRoute', 'AgreedOrInterim', 'PanelNeeded', 'RecordAgreement', 'FundingAgreed'],
      branches: ['AwaitIcbResponse', 'AwaitLaResponse', 'DidIcbDispute', 'DidLaDispute', 'IcbAnswered', 'LaAnswered'],
    });
    expect(
      calls
        .filter((c) => c.fn === 'request-response')
        .map((c) => c.event['party'])
        .sort(),
    ).toStrictEqual(['icb', 'la']);
    expect(calls.some((c) => c.fn === 'request-panel-decision')).toBe(false);
  });

  describe('agreed funding above the panel threshold', () => {
    const proposal = { summary: 'Agree £2,450.00 a week', weeklyCostPence: 245_000 };
    const aboveThreshold = {
      route: 'agree',
      needsPanel: true,
      panelTimeoutSeconds: 11 * DAY,
      panelProposal: proposal,
      proposedBy: { userId: 'u1', org: 'E10000034' },
    };
    const panelToken = () =>
      eventually(() => {
        const call = calls.find((c) => c.fn === 'request-panel-decision');
        return typeof call?.event['taskToken'] === 'string' ? call.event['taskToken'] : undefined;
      }, 'the panel task token');
    const agreeBoth = async (arn: string) => {
      await answer(await tokenFor('icb'), 'accept');
      await answer(await tokenFor('la'), 'accept');
      return arn;
    };
    const resolvePanel = async (outcome: string) =>
      client.send(
        new SendTaskSuccessCommand({
          taskToken: await panelToken(),
          output: JSON.stringify({
            panelRequestId: 'pnl_1',
            subject: 'application',
            outcome,
            votes: [],
            decidedAt: '2025-03-02T10:00:00.000Z',
            reasons: [],
          }),
        }),
      );
    const PANEL = [...HEAD, 'AwaitResponses', 'DecideFundingRoute', 'AgreedOrInterim', 'PanelNeeded', 'RequestPanelDecision'];

    it('the panel approves → funding agreed', async () => {
      fakes['decide-funding-route'] = ok(aboveThreshold);
      const arn = await agreeBoth(await start(client, machineArn, { applicationId: 'app_1' }));
      await resolvePanel('approved');
      expect((await finished(client, arn)).status).toBe('SUCCEEDED');
      expect((await path(arn)).main).toStrictEqual([...PANEL, 'PanelApproved', 'RecordAgreement', 'FundingAgreed']);
      const { taskToken, ...payload } = calls.find((c) => c.fn === 'request-panel-decision')?.event ?? {};
      expect(typeof taskToken).toBe('string');
      expect(payload).toStrictEqual({
        applicationId: 'app_1',
        subject: 'application',
        proposal,
        proposedBy: { userId: 'u1', org: 'E10000034' },
      });
    });

    it.each(['rejected', 'more-information', 'no-decision'])('the panel answers %s → interim funding (cause panel)', async (outcome) => {
      fakes['decide-funding-route'] = ok(aboveThreshold);
      const arn = await agreeBoth(await start(client, machineArn, { applicationId: 'app_1' }));
      await resolvePanel(outcome);
      expect((await finished(client, arn)).status).toBe('SUCCEEDED');
      expect((await path(arn)).main).toStrictEqual([
        ...PANEL,
        'PanelApproved',
        'SetCausePanel',
        'RecordInterimFunding',
        'IsDispute',
        'InterimFundingInPlace',
      ]);
      expect(interimCause()).toBe('panel');
      expect(calls.some((c) => c.fn === 'record-agreement')).toBe(false);
    });

    it('the panel never answers → interim funding (cause panel) when its deadline and escalation have passed', async () => {
      fakes['decide-funding-route'] = ok(aboveThreshold);
      const arn = await agreeBoth(await start(client, machineArn, { applicationId: 'app_1' }));
      await panelToken();
      await eventually(
        () =>
          clock.pending().some((t) => t.label.includes(arn) && t.label.includes('RequestPanelDecision') && t.label.includes('timeout'))
            ? true
            : undefined,
        'the panel timer',
      );
      clock.advance(11 * DAY * 1000 - 1);
      expect(calls.some((c) => c.fn === 'record-interim-funding')).toBe(false);
      clock.advance(1);
      expect((await finished(client, arn)).status).toBe('SUCCEEDED');
      expect((await path(arn)).main).toStrictEqual([
        ...PANEL,
        'SetCausePanel',
        'RecordInterimFunding',
        'IsDispute',
        'InterimFundingInPlace',
      ]);
      expect(interimCause()).toBe('panel');
    });

    it('a failing panel request → interim funding (cause failure)', async () => {
      fakes['decide-funding-route'] = ok(aboveThreshold);
      fakes['request-panel-decision'] = fail('ConfigurationError');
      const arn = await agreeBoth(await start(client, machineArn, { applicationId: 'app_1' }));
      expect((await finished(client, arn)).status).toBe('SUCCEEDED');
      expect((await path(arn)).main).toStrictEqual([
        ...PANEL,
        'SetCauseFailure',
        'RecordInterimFunding',
        'IsDispute',
        'InterimFundingInPlace',
      ]);
    });
  });

  it('a dispute ends the wait at once → interim funding (cause dispute), without waiting for the other body', async () => {
    const arn = await start(client, machineArn, { applicationId: 'app_1' });
    await tokenFor('la');
    await answer(await tokenFor('icb'), 'dispute');
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect((await path(arn)).main).toStrictEqual([
      ...HEAD,
      'AwaitResponses',
      'SetCauseDispute',
      'RecordInterimFunding',
      'IsDispute',
      'StartDispute',
      'InterimFundingInPlace',
    ]);
    expect(interimCause()).toBe('dispute');
    const started = await client.send(
      new DescribeExecutionCommand({ executionArn: 'arn:aws:states:eu-west-2:000000000000:execution:dispute:dispute-app_1' }),
    );
    expect([started.status, started.input]).toStrictEqual(['RUNNING', JSON.stringify({ applicationId: 'app_1' })]);
  });

  it('silence past the deadline → interim funding (cause deadline)', async () => {
    fakes['decide-funding-route'] = ok({ route: 'interim', cause: 'deadline' });
    const arn = await start(client, machineArn, { applicationId: 'app_1' });
    await tokenFor('icb');
    await tokenFor('la');
    await eventually(
      () => (clock.pending().filter((t) => t.label.includes(arn) && t.label.includes('timeout')).length === 2 ? true : undefined),
      'both response timers',
    );
    clock.advance(10 * DAY * 1000);
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect(await path(arn)).toStrictEqual({
      main: [
        ...HEAD,
        'AwaitResponses',
        'DecideFundingRoute',
        'AgreedOrInterim',
        'SetCauseFromDecision',
        'RecordInterimFunding',
        'IsDispute',
        'InterimFundingInPlace',
      ],
      branches: [
        'AwaitIcbResponse',
        'AwaitLaResponse',
        'DidIcbDispute',
        'DidLaDispute',
        'IcbAnswered',
        'IcbSilent',
        'LaAnswered',
        'LaSilent',
      ],
    });
    expect(interimCause()).toBe('deadline');
  });

  it('a failing task → interim funding (cause failure)', async () => {
    fakes['determine-responsibility'] = fail('Error');
    const arn = await start(client, machineArn, { applicationId: 'app_1' });
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect((await path(arn)).main).toStrictEqual([
      'ValidateApplication',
      'DetermineResponsibility',
      'SetCauseFailure',
      'RecordInterimFunding',
      'IsDispute',
      'InterimFundingInPlace',
    ]);
    expect(interimCause()).toBe('failure');
  });

  it('a determination that needs a person → interim funding at once, nobody waits', async () => {
    fakes['determine-responsibility'] = ok({ route: 'interim-now', reason: 'a person must decide', responseTimeoutSeconds: 10 * DAY });
    const arn = await start(client, machineArn, { applicationId: 'app_1' });
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect((await path(arn)).main).toStrictEqual([
      ...HEAD,
      'SetCauseHumanReview',
      'RecordInterimFunding',
      'IsDispute',
      'InterimFundingInPlace',
    ]);
    expect(interimCause()).toBe('human-review');
    expect(calls.some((c) => c.fn === 'request-response')).toBe(false);
  });

  it('no s117 duty → recorded as not eligible', async () => {
    fakes['determine-responsibility'] = ok({ route: 'not-eligible', reason: 'section 2 only', responseTimeoutSeconds: 10 * DAY });
    const arn = await start(client, machineArn, { applicationId: 'app_1' });
    expect((await finished(client, arn)).status).toBe('SUCCEEDED');
    expect((await path(arn)).main).toStrictEqual([...HEAD, 'RecordNotEligible', 'NotEligible']);
  });
});

describe('funding-application.asl.json, statically', () => {
  const raw = readFileSync(FILE, 'utf8');
  const definition = JSON.parse(raw) as { States: Record<string, Record<string, unknown>> };
  const allStates = (states: Record<string, Record<string, unknown>>): [string, Record<string, unknown>][] =>
    Object.entries(states).flatMap(([name, s]) => [
      [name, s] as [string, Record<string, unknown>],
      ...((s['Branches'] as { States: Record<string, Record<string, unknown>> }[] | undefined) ?? []).flatMap((b) => allStates(b.States)),
    ]);

  it('passes asl-validator once substituted', () => {
    const { isValid, errorsText } = validator(JSON.parse(loadDefinition(FILE, substitutions)) as object);
    expect(errorsText()).toBe('');
    expect(isValid).toBe(true);
  });

  it('uses every substitution it is given, and needs no other', () => {
    const used = new Set([...raw.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]));
    expect([...used].sort()).toStrictEqual([...Object.keys(FUNDING_FUNCTIONS), 'DisputeStateMachineArn'].sort());
  });

  it('gives every callback a deadline and a way out on timeout', () => {
    const callbacks = allStates(definition.States).filter(([, s]) => String(s['Resource']).endsWith('.waitForTaskToken'));
    expect(callbacks.map(([n]) => n).sort()).toStrictEqual(['AwaitIcbResponse', 'AwaitLaResponse', 'RequestPanelDecision']);
    for (const [, s] of callbacks) {
      expect(s['TimeoutSecondsPath'] ?? s['TimeoutSeconds']).toBeTruthy();
      expect((s['Catch'] as { ErrorEquals: string[] }[]).some((c) => c.ErrorEquals.includes('States.Timeout'))).toBe(true);
    }
  });

  it('names only errors that exist: States.*, Lambda.*, domain errors, or a Fail state of its own', () => {
    const failErrors = new Set(
      allStates(definition.States)
        .filter(([, s]) => s['Type'] === 'Fail')
        .map(([, s]) => String(s['Error'])),
    );
    const known = (e: string) =>
      e.startsWith('States.') || e.startsWith('Lambda.') || (WORKFLOW_ERROR_NAMES as readonly string[]).includes(e) || failErrors.has(e);
    const named = allStates(definition.States)
      .flatMap(([, s]) => [
        ...((s['Retry'] as { ErrorEquals: string[] }[] | undefined) ?? []),
        ...((s['Catch'] as { ErrorEquals: string[] }[] | undefined) ?? []),
      ])
      .flatMap((r) => r.ErrorEquals);
    expect(named.filter((e) => !known(e))).toStrictEqual([]);
  });

  it('sends every failure of a top-level task to interim funding', () => {
    const tasks = Object.entries(definition.States).filter(
      ([n, s]) => (s['Type'] === 'Task' || s['Type'] === 'Parallel') && n !== 'RecordInterimFunding' && n !== 'StartDispute',
    );
    for (const [name, s] of tasks) {
      const all = (s['Catch'] as { ErrorEquals: string[]; Next: string }[]).find((c) => c.ErrorEquals.includes('States.ALL'));
      expect({ name, next: all?.Next }).toStrictEqual({ name, next: 'SetCauseFailure' });
    }
    expect(definition.States['SetCauseFailure']?.['Next']).toBe('RecordInterimFunding');
  });

  it('starts the dispute workflow only after a dispute, and ends with interim funding in place whether or not it starts', () => {
    expect(definition.States['RecordInterimFunding']?.['Next']).toBe('IsDispute');
    expect(definition.States['IsDispute']?.['Choices']).toStrictEqual([
      { Variable: '$.interimCause', StringEquals: 'dispute', Next: 'StartDispute' },
    ]);
    expect(definition.States['IsDispute']?.['Default']).toBe('InterimFundingInPlace');
    const start = definition.States['StartDispute'] as Record<string, unknown>;
    expect([start['Resource'], start['Next'], (start['Catch'] as { Next: string }[])[0]?.Next]).toStrictEqual([
      'arn:aws:states:::states:startExecution',
      'InterimFundingInPlace',
      'InterimFundingInPlace',
    ]);
  });
});
