/**
 * `npm run demo`, against a running `npm start`: submits a few realistic funding applications through the
 * HTTP API, answers as the determined bodies would, and prints where each one stands and the inbox URL.
 * Uses the same data folder (DATA_DIR, default .data) and ports (PORT, SES_PORT) as `npm start`.
 */
import { randomUUID } from 'node:crypto';
import { localToken, type TokenSubject } from './auth.ts';

const apiUrl = `http://127.0.0.1:${process.env['PORT'] ?? '3000'}`;
const inboxUrl = `http://127.0.0.1:${process.env['SES_PORT'] ?? '8005'}/`;
const run = randomUUID().slice(0, 8);

const as = (org: string): TokenSubject => ({ sub: `${org.toLowerCase()}-commissioner`, org, role: 'commissioner' });
const home = (from: string, la: string, icb: string, extra: Record<string, unknown> = {}) => ({
  type: 'residence',
  from,
  area: { country: 'england', la, icb },
  setting: 'own-home',
  basis: 'own-choice',
  ...extra,
});
const gp = (from: string, icb: string | null) => ({ type: 'gp-registration', from, icb });
const detained = (from: string, section: string) => ({ type: 'detention', from, section });
const discharged = (date: string) => [
  { type: 'detention-ended', date, outcome: 'discharged' },
  { type: 'left-hospital', date },
];

interface Scenario {
  title: string;
  submitter: string;
  nhsNumber: string;
  events: unknown[];
  person?: Record<string, unknown>;
  meetingNeedsNow?: string;
  lines: { description: string; provider: string; category: string; weeklyCostPence: number }[];
  answers: { org: string; decision: 'accept' | 'dispute'; reason?: string; proposedBody?: string }[];
  /** Clinically ready for discharge and what the stay waits for (issue 13 item 5): the delays report lists them. */
  discharge?: Record<string, unknown>;
}

const scenarios: Scenario[] = [
  {
    title: 'Detained under s3 from home in Worcestershire; both bodies accept',
    submitter: 'E10000034',
    nhsNumber: '9434765919',
    events: [home('2016-05-01', 'E10000034', 'QGH'), gp('2016-05-01', 'QGH'), detained('2026-09-02', '3')],
    lines: [
      { description: 'Supported living, 24-hour', provider: 'Severn Support Ltd', category: 'accommodation', weeklyCostPence: 142_000 },
      {
        description: 'Community mental health team',
        provider: 'Herefordshire and Worcestershire Health and Care NHS Trust',
        category: 'health',
        weeklyCostPence: 28_500,
      },
    ],
    answers: [
      { org: 'QGH', decision: 'accept' },
      { org: 'E10000034', decision: 'accept' },
    ],
    discharge: { clinicallyReadyOn: '2026-11-24', expectedDischargeOn: '2026-11-30', dischargedOn: '2026-11-30' },
  },
  {
    title: 'Worcestershire-style: placed in a Swindon care home by Worcestershire, then detained again; Swindon disputes',
    submitter: 'E10000034',
    nhsNumber: '4010232137',
    person: { capacityToDecideResidence: false },
    meetingNeedsNow: 'E10000034',
    events: [
      home('2010-01-01', 'E10000034', 'QGH'),
      gp('2010-01-01', 'QGH'),
      detained('2023-03-10', '3'),
      ...discharged('2023-07-20'),
      home('2023-07-20', 'E06000030', 'QOX', {
        setting: 'care-home',
        basis: 'best-interests-decision',
        arrangedBy: { body: 'E10000034', under: 'mha-s117' },
      }),
      gp('2023-08-01', 'QOX'),
      detained('2026-08-20', '2'),
      detained('2026-09-10', '3'),
    ],
    lines: [
      {
        description: 'Residential care home placement',
        provider: 'Wessex Care Homes',
        category: 'accommodation',
        weeklyCostPence: 189_000,
      },
    ],
    answers: [
      { org: 'QGH', decision: 'accept' },
      {
        org: 'E06000030',
        decision: 'dispute',
        reason: 'Placed here by Worcestershire as s117 aftercare; we say Worcestershire keeps the duty.',
        proposedBody: 'E10000034',
      },
    ],
    discharge: { clinicallyReadyOn: '2026-11-16', expectedDischargeOn: '2026-12-14' },
  },
  {
    title: 'Two ICBs disagree after a GP change before detention',
    submitter: 'E06000054',
    nhsNumber: '9876543210',
    events: [home('2015-01-01', 'E06000054', 'QOX'), gp('2015-01-01', 'QOX'), gp('2026-06-01', 'QXU'), detained('2026-08-01', '3')],
    lines: [
      { description: 'Home support, 20 hours a week', provider: 'Wiltshire Home Care', category: 'social-care', weeklyCostPence: 56_000 },
    ],
    answers: [
      { org: 'QXU', decision: 'dispute', reason: 'The registration was temporary; the person lives in Wiltshire.', proposedBody: 'QOX' },
    ],
    discharge: { clinicallyReadyOn: '2026-11-27', delayReasons: [{ reason: 'care-not-available' }] },
  },
  {
    title: 'No fixed abode before detention: a person must decide, interim funding starts at once',
    submitter: 'E10000030',
    nhsNumber: '9434765870',
    events: [
      gp('2019-01-01', null),
      home('2025-11-01', 'E10000030', 'QXU', { setting: 'no-fixed-abode', basis: 'unknown' }),
      detained('2026-09-15', '3'),
    ],
    lines: [
      { description: 'Hostel place with support', provider: 'Surrey Housing Trust', category: 'accommodation', weeklyCostPence: 64_000 },
    ],
    answers: [],
    discharge: {
      clinicallyReadyOn: '2026-11-09',
      delayReasons: [{ reason: 'housing' }, { reason: 'other', detail: 'Waiting for a supported tenancy to be signed.' }],
    },
  },
];

async function call(
  method: string,
  path: string,
  who: TokenSubject | null,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const h: Record<string, string> = { ...headers };
  if (who) h['authorization'] = `Bearer ${await localToken(who)}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  const response = await fetch(`${apiUrl}${path}`, { method, headers: h, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function waitFor(id: string, who: TokenSubject, done: (app: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const reply = await call('GET', `/v1/applications/${id}`, who);
    if (reply.status === 200 && done(reply.body)) return reply.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`application ${id} did not reach the expected state`);
}

async function main(): Promise<void> {
  try {
    await fetch(`${apiUrl}/health`);
  } catch {
    process.stderr.write(`Nothing answers at ${apiUrl}. Start the system first with \`npm start\` (same PORT and DATA_DIR).\n`);
    process.exit(1);
  }
  process.stdout.write(`s117 demo against ${apiUrl}\n\n`);
  for (const [i, s] of scenarios.entries()) {
    const submitter = as(s.submitter);
    const body = {
      person: { nhsNumber: s.nhsNumber },
      facts: { id: `demo-${run}-${i + 1}`, evaluationDate: '2026-11-20', ...(s.person ? { person: s.person } : {}), events: s.events },
      carePlan: { serviceLines: s.lines.map((l) => ({ ...l, s117: true, startDate: '2026-11-30' })) },
      requestedStartDate: '2026-11-30',
      ...(s.meetingNeedsNow ? { meetingNeedsNow: s.meetingNeedsNow } : {}),
      ...(s.discharge ? { discharge: s.discharge } : {}),
    };
    const created = await call('POST', '/v1/applications', submitter, body, { 'idempotency-key': `demo-${run}-${i + 1}` });
    if (created.status !== 201) throw new Error(`submitting "${s.title}" answered ${created.status}: ${JSON.stringify(created.body)}`);
    const id = String(created.body['id']);
    const determined = await waitFor(id, submitter, (a) => a['determination'] !== null);
    for (const answer of s.answers) {
      const { org, ...decision } = answer;
      const reply = await call('POST', `/v1/applications/${id}/responses`, as(org), decision);
      if (reply.status !== 201 && reply.status !== 200)
        process.stdout.write(`  (${org} could not answer: ${reply.status} ${String(reply.body['detail'] ?? '')})\n`);
    }
    const final = await waitFor(id, submitter, (a) => ['agreed', 'interim', 'in-dispute', 'not-eligible'].includes(String(a['status'])));
    const d = determined['determination'] as {
      icb: { body: string | null };
      localAuthority: { body: string | null };
      needsHumanReview: { code: string }[];
    };
    const funding = final['funding'] as {
      state: string;
      startDate: string | null;
      lead: string | null;
      shares: { body: string; percentage: number }[];
    };
    process.stdout.write(`${i + 1}. ${s.title}\n`);
    process.stdout.write(
      `   ${id}: ICB ${d.icb.body ?? '(a person decides)'}, council ${d.localAuthority.body ?? '(a person decides)'}${d.needsHumanReview.length ? `; a person must decide: ${d.needsHumanReview.map((r) => r.code).join(', ')}` : ''}\n`,
    );
    process.stdout.write(
      `   status ${String(final['status'])}; funding ${funding.state}${funding.startDate ? ` from ${funding.startDate}` : ''}${funding.lead ? `, lead ${funding.lead}` : ''}${funding.shares.length ? ` (${funding.shares.map((x) => `${x.body} ${x.percentage}%`).join(', ')})` : ''}\n\n`,
    );
  }
  // Who is ready to leave hospital but still there (issue 13 item 5), as each submitting council sees it.
  for (const org of [...new Set(scenarios.map((s) => s.submitter))]) {
    const report = await call('GET', '/v1/reports/delays', as(org));
    if (report.status !== 200) throw new Error(`the delays report for ${org} answered ${report.status}: ${JSON.stringify(report.body)}`);
    const items = report.body['items'] as { applicationId: string; daysSinceReady: number; waitingFor: string[]; escalationDue: boolean }[];
    process.stdout.write(`Ready for discharge and still in hospital, as ${org} sees it (GET /v1/reports/delays):\n`);
    for (const item of items)
      process.stdout.write(
        `   ${item.applicationId}: ${item.daysSinceReady} days since ready, waiting for ${item.waitingFor.join(', ') || 'nothing recorded'}${item.escalationDue ? ' (due for escalation)' : ''}\n`,
      );
    if (items.length === 0) process.stdout.write('   nobody\n');
  }
  process.stdout.write(
    `\nMail sent to the bodies: ${inboxUrl}\nEach application's chronology: GET ${apiUrl}/v1/applications/<id>/chronology (token: npx s117 token --org E10000034 --role commissioner)\n`,
  );
}

await main();
