/**
 * Four-eyes on identities that exist in AWS (issue 12 item 6): Cognito names the proposer by a `sub` UUID that no
 * panel member id equals, so a panel member is recognised as the proposer by the subject they are bound to or by
 * the proposer's verified email address. Tokens here are Cognito-shaped (sub UUID, email, email_verified,
 * custom:org, custom:role) and pass through the same `callerFrom` as every API request.
 */
import { describe, expect, it } from 'vitest';
import { applicationPanelGate } from '#domain/panels/application-gate.ts';
import {
  DEFAULT_PANEL_THRESHOLDS,
  DEFAULT_PANEL_TIMING,
  DEFAULT_QUORUM_RULE,
  type PanelConfig,
  type PanelMember,
} from '#domain/panels/panel.ts';
import { memoryPorts } from '#functions/adapters/memory/index.ts';
import { MemoryPanelStore } from '#functions/adapters/memory/panels.ts';
import { showApproval, submitApproval } from '#functions/panels/approval-pages.ts';
import { randomId, sha256 } from '#functions/panels/panel-deps.ts';
import { requestPanelDecision, type PanelDeps } from '#functions/panels/panel-steps.ts';
import { callerFrom } from '#functions/shared/auth.ts';
import type { PageResult } from '#functions/shared/middy.ts';
import { application, partnership } from '../../support/application-builder.ts';

const SUB = '7f1d3c2b-9a8e-4f6d-8c5b-1a2e3d4c5b6a';
const cognitoCaller = (claims: Record<string, unknown>) =>
  callerFrom({
    authorizer: {
      jwt: {
        claims: {
          sub: SUB,
          'cognito:username': SUB,
          token_use: 'id',
          email: 'Tom.Beddoes@ICB-A.example.nhs.uk',
          email_verified: 'true',
          'custom:org': 'ICB-A',
          'custom:role': 'commissioner',
          ...claims,
        },
        scopes: null,
      },
    },
  });

const tom: PanelMember = {
  id: 'icb-a',
  name: 'Tom Beddoes',
  email: 'tom.beddoes@icb-a.example.nhs.uk',
  organisation: 'ICB-A',
  role: 'icb',
};
const panelWith = (member: PanelMember): PanelConfig => ({
  members: [
    member,
    { id: 'la-a', name: 'Mark Tolley', email: 'mark@la-a.example.gov.uk', organisation: 'LA-A', role: 'la' },
    { id: 'senior', name: 'Anne Holloway', email: 'anne@icb-a.example.nhs.uk', organisation: 'ICB-A', role: 'senior' },
  ],
  quorum: DEFAULT_QUORUM_RULE,
  timing: DEFAULT_PANEL_TIMING,
  thresholds: DEFAULT_PANEL_THRESHOLDS,
});

async function tomChoosesApprove(member: PanelMember, claims: Record<string, unknown>): Promise<PageResult> {
  const panel = panelWith(member);
  const a = memoryPorts(
    { now: () => '2024-06-02T10:00:00.000Z', today: () => '2024-06-02' },
    {
      organisations: [
        { code: 'ICB-A', kind: 'icb', name: 'ICB A', email: 's117@icb-a.example.nhs.uk', partnerships: ['test'] },
        { code: 'LA-A', kind: 'la', name: 'Council A', email: 's117@la-a.example.gov.uk', partnerships: ['test'] },
      ],
      partnerships: [{ ...partnership, panel }],
    },
  );
  const panels = new MemoryPanelStore();
  const deps: PanelDeps = {
    ...a,
    panels,
    clock: { now: () => '2024-06-02T10:00:00.000Z', today: () => '2024-06-02' },
    appBaseUrl: 'https://s117.example.org',
    remindersStateMachineArn: 'arn:aws:states:eu-west-2:000000000000:stateMachine:panel-reminders',
    randomId,
    hash: sha256,
  };
  const submitter = cognitoCaller(claims);
  const app = application({
    submittedBy: {
      userId: submitter.userId,
      org: submitter.org,
      orgKind: 'icb',
      ...(submitter.email === undefined ? {} : { email: submitter.email }),
    },
  });
  await a.applications.create(app);
  const gate = applicationPanelGate(app, { ...partnership, panel }, '2024-06-02T10:00:00.000Z');
  const ack = await requestPanelDecision(deps, {
    applicationId: app.id,
    subject: 'application',
    taskToken: 'sfnlocal-tt-four-eyes',
    proposal: gate.panelProposal,
    proposedBy: gate.proposedBy,
  });
  const request = await panels.getRequest(app.id, ack.panelRequestId);
  const link = request?.approvals.find((x) => x.memberId === 'icb-a')?.approvalId ?? '';
  const form = await showApproval(deps, { method: 'GET', path: { approvalId: link }, form: null, sourceIp: '', userAgent: '' });
  const csrf = /name="csrf" value="([^"]+)"/.exec(form.html)?.[1] ?? '';
  return submitApproval(deps, {
    method: 'POST',
    path: { approvalId: link },
    form: new URLSearchParams({ csrf, decision: 'approve' }),
    sourceIp: '',
    userAgent: '',
  });
}

describe('four-eyes with Cognito identities', () => {
  it.each([
    {
      name: "a member whose address is the proposer's verified email (in another case)",
      member: tom,
      claims: {},
      status: 409,
    },
    {
      name: 'a member bound to the proposer’s Cognito subject, whatever the email',
      member: { ...tom, email: 'tom.b@nhs.example.net', subject: SUB },
      claims: { email_verified: 'false' },
      status: 409,
    },
    {
      name: 'a member whose address matches only an unverified email',
      member: tom,
      claims: { email_verified: 'false' },
      status: 200,
    },
    {
      name: 'a member bound to another subject, with another email',
      member: { ...tom, email: 'tom.b@nhs.example.net', subject: '00000000-0000-4000-8000-000000000000' },
      claims: {},
      status: 200,
    },
  ])("$name: the proposer's approval is refused when it is theirs ($status)", async ({ member, claims, status }) => {
    const page = await tomChoosesApprove(member, claims);

    expect(page.statusCode).toBe(status);
    expect(page.html.includes('You made this proposal, so you cannot approve it')).toBe(status === 409);
  });
});
