/**
 * The referral pack for a dispute between councils (SI 2014/2829 reg 4): the statement of facts, the
 * chronology and the inter-authority correspondence, generated from the register. The person appears
 * only by their pseudonymous reference: no NHS number, name or address.
 * @see rules.md R-DISP-LA-6, R-DISP-LA-1, R-DISP-LA-2, R-DISP-LA-7
 */
import type { Application, PartyResponse } from '../applications/application.ts';
import { formatLongDate, type LocalDate } from '../dates.ts';
import { BODY_KIND_LABELS } from '../determination.ts';
import type { CaseEvent, OrgCode } from '../facts.ts';
import { formatPounds } from '../money.ts';
import type { ChronologyEntry } from '../ports.ts';
import { legalArgumentsDueDate, type Dispute } from './dispute.ts';

/** A table of the pack: a caption saying what it shows, column headings, and rows of sentences (no data dumps). */
export interface PackTable {
  caption: string;
  head: string[];
  rows: string[][];
}

export interface PackSection {
  heading: string;
  paragraphs: string[];
  items: string[];
  /** Packs made before issue 16 have none. */
  table?: PackTable;
}

export interface ReferralPack {
  id: string;
  applicationId: string;
  disputeId: string;
  personRef: string;
  generatedAt: string;
  referredOn: LocalDate;
  disputeDate: LocalDate;
  referralDue: LocalDate;
  legalArgumentsDue: LocalDate;
  /** The rule ids behind the pack and its contents. */
  ruleIds: string[];
  sections: PackSection[];
  text: string;
  html: string;
}

export interface ReferralPackInput {
  id: string;
  app: Application;
  dispute: Dispute;
  chronology: readonly ChronologyEntry[];
  /** Organisation names by code, for a reader who does not know the codes. */
  names: Readonly<Record<OrgCode, string>>;
  referredOn: LocalDate;
  generatedAt: string;
}

const long = (d: LocalDate): string => formatLongDate(d);

const SETTING: Record<string, string> = {
  'own-home': 'own home',
  'family-home': 'family home',
  'care-home': 'care home',
  'nursing-home': 'nursing home',
  'supported-living': 'supported living',
  'shared-lives': 'shared lives',
  hostel: 'hostel',
  'hospital-informal': 'hospital (informal)',
  prison: 'prison',
  'no-fixed-abode': 'no fixed abode',
  'student-accommodation': 'student accommodation',
  other: 'other',
};

const UNDER: Record<string, string> = {
  'mha-s117': 'Mental Health Act 1983 s117',
  'care-act-2014': 'Care Act 2014',
  'national-assistance-act-1948': 'National Assistance Act 1948',
  'children-act-1989': 'Children Act 1989',
  'nhs-continuing-healthcare': 'NHS continuing healthcare',
  other: 'other provisions',
};

/** A fact of the case as a chronology row: its date and a sentence (the sentence starts with a capital). */
function eventRow(e: CaseEvent, name: (c: OrgCode | undefined) => string): [LocalDate, string] {
  const line = eventLine(e, name);
  const at = line.indexOf(': ');
  return [eventSortDate(e), capitalise(line.slice(at + 2))];
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

function eventLine(e: CaseEvent, name: (c: OrgCode | undefined) => string): string {
  switch (e.type) {
    case 'residence':
      return `${long(e.from)}: began living in ${name(e.area.la)} (${e.area.country}), ${SETTING[e.setting] ?? e.setting}, basis: ${e.basis.replace(/-/g, ' ')}${e.arrangedBy ? `, arranged by ${name(e.arrangedBy.body)} under ${UNDER[e.arrangedBy.under] ?? e.arrangedBy.under}` : ''}.`;
    case 'gp-registration':
      return `${long(e.from)}: registered with a GP practice in ${e.icb === null ? 'no ICB area (not registered)' : name(e.icb)}.`;
    case 'detention':
      return `${long(e.from)}: detained under MHA s${e.section}${e.hospitalArea?.la ? ` in a hospital in ${name(e.hospitalArea.la)}` : ''}.`;
    case 'detention-ended':
      return `${long(e.date)}: detention ended (${e.outcome.replace(/-/g, ' ')}).`;
    case 'left-hospital':
      return `${long(e.date)}: left hospital.`;
    case 'informal-admission':
      return `${long(e.from)}: informal admission${e.to ? ` until ${long(e.to)}` : ''}.`;
    case 'cto':
      return `${long(e.from)}: community treatment order${e.to ? ` until ${long(e.to)}` : ''}.`;
    case 'recall':
      return `${long(e.date)}: recalled from ${e.from === 'cto' ? 'a community treatment order' : 'conditional discharge'}.`;
    case 's17-leave':
      return `${long(e.from)}: s17 leave (${e.kind.replace(/-/g, ' ')})${e.to ? ` until ${long(e.to)}` : ''}.`;
    case 'imprisonment':
      return `${long(e.from)}: imprisoned${e.to ? ` until ${long(e.to)}` : ''}.`;
    case 'aftercare-ended':
      return `${long(e.date)}: aftercare recorded as ended (ICB agreed: ${e.icbAgreed ? 'yes' : 'no'}, council agreed: ${e.laAgreed ? 'yes' : 'no'}).`;
    case 'aftercare-reinstated':
      return `${long(e.date)}: aftercare reinstated (${e.basis.replace(/-/g, ' ')}).`;
    case 'child-status':
      return `${long(e.from)}: child's status: ${e.status.replace(/-/g, ' ')}${e.authority ? `, authority ${name(e.authority)}` : ''}.`;
    case 'aftercare-service':
      return `${long(e.from)}: aftercare service (${e.kind.replace(/-/g, ' ')})${e.to ? ` until ${long(e.to)}` : ''}${e.nhsEnglandMustArrange === true ? ', one NHS England must arrange' : ''}.`;
  }
}

// A recall's `from` is what it recalls from (cto or conditional discharge); its date is `date`.
const eventSortDate = (e: CaseEvent): LocalDate => ('date' in e ? e.date : e.from);

function responseSentence(r: PartyResponse, name: (c: OrgCode | undefined) => string): string {
  return `${r.decision === 'accept' ? 'Accepted the determination' : `Disputed ${r.about ?? 'responsibility'}`}${r.proposedBody ? `, naming ${name(r.proposedBody)} as responsible` : ''}${r.reason ? `: "${r.reason}"` : ''}.`;
}

function responseLine(r: PartyResponse, name: (c: OrgCode | undefined) => string): string {
  return `${r.at.slice(0, 10)} ${name(r.body)} ${r.decision === 'accept' ? 'accepted the determination' : `disputed ${r.about ?? 'responsibility'}`}${r.proposedBody ? `, naming ${name(r.proposedBody)} as responsible` : ''}${r.reason ? `: "${r.reason}"` : ''}.`;
}

/** Words for the register's entry types; others are read from the type itself ("panel-vote-recorded" → "Panel vote recorded"). */
const ENTRY_WORDS: Readonly<Record<string, string>> = {
  'application-submitted': 'Funding application submitted',
  'responsibility-determined': 'Responsibility determined by the s117 engine',
  'response-requested': 'Responses requested from the bodies',
  'response-recorded': 'Response recorded',
  'response-deadline-passed': 'The deadline for a response passed',
  'interim-funding-started': 'Interim funding started, without prejudice',
  'dispute-opened': 'Dispute opened',
  'dispute-outcome-recorded': 'Outcome of a dispute stage recorded',
};

/** The scalar details of an entry worth a reader's time, in words; anything else (objects, lists of objects) is left out. */
const ENTRY_DETAILS: readonly (readonly [string, string])[] = [
  ['stage', 'stage'],
  ['decision', 'decision'],
  ['outcome', 'outcome'],
  ['responsibleLa', 'responsible council'],
  ['deadline', 'deadline'],
  ['reason', 'reason'],
];

function entrySentence(e: ChronologyEntry, name: (c: OrgCode | undefined) => string): string {
  const words = ENTRY_WORDS[e.type] ?? capitalise(e.type.replace(/-/g, ' '));
  const by = e.actor.org !== undefined ? ` by ${name(e.actor.org)}` : '';
  const details = ENTRY_DETAILS.flatMap(([key, label]) => {
    const v = e.data[key];
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return [];
    const text = String(v).trim();
    if (text === '') return [];
    const words =
      key === 'responsibleLa'
        ? name(text)
        : key === 'reason'
          ? `"${text.slice(0, 500)}"`
          : /^\d{4}-\d{2}-\d{2}$/.test(text)
            ? long(text)
            : text.replace(/-/g, ' ');
    return [`${label}: ${words}`];
  });
  return `${words}${by}${details.length > 0 ? ` (${details.join('; ')})` : ''}.`;
}

const entryDate = (e: ChronologyEntry): LocalDate => e.at.slice(0, 10);

/**
 * Entry types that are correspondence between the bodies (requests, answers, notices sent): they go to the appendix,
 * every other entry to the chronology, so nothing is printed twice.
 */
const CORRESPONDENCE = /^(response-requested|response-recorded|dispute-outcome-recorded)$|notified|notice|referral|requested/;

/**
 * The pack: a statement of facts covering every matter of reg 4(2), the chronology, and the
 * correspondence, as sections and as plain text and HTML renderings of the same sections.
 */
export function buildReferralPack(input: ReferralPackInput): ReferralPack {
  const { app, dispute, referredOn } = input;
  const name = (c: OrgCode | undefined): string =>
    c === undefined ? 'an unknown area' : input.names[c] === undefined ? c : `${input.names[c]} (${c})`;
  const d = app.determination;
  const facts = app.facts;
  const referralDue = dispute.referralDue ?? referredOn;
  const legalArgumentsDue = legalArgumentsDueDate(referredOn);
  const councils = dispute.bodies;
  const residences = facts.events
    .filter((e): e is Extract<CaseEvent, { type: 'residence' }> => e.type === 'residence')
    .sort((a, b) => (a.from < b.from ? -1 : 1));
  const capacity = facts.person?.capacityToDecideResidence;
  const interim = app.arrangements.find((a) => a.id === dispute.interimArrangementId);
  const responses = (['icb', 'la'] as const).map((p) => app.responses[p]).filter((r): r is PartyResponse => r !== undefined);
  const byDate = <T extends readonly [LocalDate, ...string[]]>(rows: T[]): T[] =>
    rows
      .map((row, i) => [row, i] as const)
      .sort(([a, i], [b, j]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : i - j))
      .map(([row]) => row);
  const chronologyRows = byDate<[LocalDate, string]>([
    ...facts.events.map((e) => eventRow(e, name)),
    [
      app.createdAt.slice(0, 10),
      `Funding application ${app.id} submitted by ${name(app.submittedBy.org)}; care requested from ${long(app.requestedStartDate)}.`,
    ],
    [dispute.disputeDate, `The dispute arose (first written assertion by ${name(dispute.raisedBy)}).`],
    ...input.chronology.filter((e) => !CORRESPONDENCE.test(e.type)).map((e): [LocalDate, string] => [entryDate(e), entrySentence(e, name)]),
    [referredOn, `Referred to the Secretary of State by ${name(dispute.lead)}.`],
  ]);
  const correspondence = byDate<[LocalDate, string, string]>([
    ...responses.map((r): [LocalDate, string, string] => [r.at.slice(0, 10), name(r.body), responseSentence(r, name)]),
    ...input.chronology
      .filter((e) => CORRESPONDENCE.test(e.type) && e.type !== 'response-recorded')
      .map((e): [LocalDate, string, string] => [
        entryDate(e),
        e.actor.org !== undefined ? name(e.actor.org) : 'The s117 register',
        entrySentence(e, name),
      ]),
  ]);

  const sections: PackSection[] = [
    {
      heading: 'Referral',
      paragraphs: [
        `Referral to the Secretary of State under section 40 of the Care Act 2014 (as applied to section 117 of the Mental Health Act 1983 by s117(4)) and the Care and Support (Disputes Between Local Authorities) Regulations 2014 (SI 2014/2829), made by the lead authority ${name(dispute.lead)} on ${long(referredOn)}.`,
        `The dispute arose on ${long(dispute.disputeDate)} (reg 1(3): the first written assertion). The referral was due by ${long(referralDue)} (reg 3(7): four months after the dispute arose). Legal arguments are due by ${long(legalArgumentsDue)} (reg 4(3): 14 days after referral), copied to the other authorities with evidence of copying.`,
        `Person: ${app.personRef} (pseudonymous reference; the identifying details are held by the authorities and are not reproduced here). Application ${app.id}.`,
        `Authorities in dispute: ${councils.map(name).join(' and ')}. Signed letter from the lead authority: ______________________ (name, role, date).`,
      ],
      items: [],
    },
    {
      heading: '1. Nature of the dispute',
      paragraphs: [dispute.basis, ...responses.filter((r) => r.decision === 'dispute').map((r) => responseLine(r, name))],
      items: [],
    },
    {
      heading: '2. Chronology, including the date the dispute arose',
      paragraphs: [
        'The facts of the case, the funding application, the dispute and what the s117 register recorded, in date order. Letters and responses between the authorities are in the appendix.',
      ],
      items: [],
      table: {
        caption: 'Chronology of the case, earliest first',
        head: ['Date', 'What happened'],
        rows: chronologyRows.map(([date, text]) => [long(date), text]),
      },
    },
    {
      heading: "3. The person's needs over the period",
      paragraphs: ['The s117 aftercare services in the care plan, with their weekly costs:'],
      items: app.carePlan.serviceLines.map(
        (l) =>
          `${l.description} (${l.category}${l.s117 ? ', s117 aftercare' : ', not s117'}), ${l.provider}, ${formatPounds(l.weeklyCostPence)} a week from ${long(l.startDate)}${l.endDate ? ` to ${long(l.endDate)}` : ''}.`,
      ),
    },
    {
      heading: '4. Which authority has met the needs, how, and under which provisions',
      paragraphs: [
        interim === undefined
          ? `${name(dispute.lead)} is the lead authority and meets the person's needs while the dispute is resolved (reg 2(2)).`
          : `From ${long(interim.startDate)} the needs have been met under interim without-prejudice funding under MHA 1983 s117, led by ${name(interim.lead)}: ${interim.shares.map((s) => `${name(s.body)} ${s.basisPoints / 100}%`).join(', ')}. ${interim.basis}`,
        app.meetingNeedsNow === undefined
          ? 'No authority was recorded as meeting the needs when the application was made.'
          : `${name(app.meetingNeedsNow)} was meeting the person's needs on the date the dispute arose, and so is the lead authority (reg 1(2), reg 2(2)).`,
      ],
      items: residences
        .filter((r) => r.arrangedBy !== undefined)
        .map(
          (r) =>
            `From ${long(r.from)}: accommodation arranged by ${name(r.arrangedBy?.body)} under ${UNDER[r.arrangedBy?.under ?? 'other'] ?? 'other provisions'}.`,
        ),
    },
    {
      heading: '5. Current and relevant former places of residence',
      paragraphs: [],
      items: residences.map(
        (r) =>
          `From ${long(r.from)}: ${name(r.area.la)}, ${r.area.country}, ${SETTING[r.setting] ?? r.setting} (basis: ${r.basis.replace(/-/g, ' ')}).`,
      ),
    },
    {
      heading: '6. Capacity to decide where to live',
      paragraphs: [
        capacity === true
          ? 'The person is recorded as having capacity to decide where to live.'
          : capacity === false
            ? 'The person is recorded as lacking capacity to decide where to live; moves were made by best-interests decisions where so recorded below.'
            : 'Capacity to decide where to live is not recorded; the authorities must supply an agreed statement or the relevant information (reg 4(2)).',
      ],
      items: residences
        .filter((r) => r.basis === 'best-interests-decision')
        .map((r) => `${long(r.from)}: move to ${name(r.area.la)} by a best-interests decision.`),
    },
    {
      heading: '7. Steps taken to resolve the dispute',
      paragraphs: [
        `The authorities exchanged their positions through the s117 register (responses below and in the correspondence). The lead authority coordinated the discussion (reg 3).`,
      ],
      items: dispute.stages.map(
        (s) =>
          `${s.stage.replace(/-/g, ' ')}: from ${s.startedAt.slice(0, 10)}, deadline ${s.deadline}${s.endedAt ? `, ended ${s.endedAt.slice(0, 10)} (${s.endedBy ?? 'ended'})` : ''}.`,
      ),
    },
    {
      heading: '8. The determination of the s117 engine, with its reasons and rules',
      paragraphs:
        d === null
          ? ['No determination was recorded.']
          : [
              `Local authority: ${d.localAuthority.body === null ? 'not determined' : name(d.localAuthority.body)}. Rules: ${d.localAuthority.ruleIds.join(', ')}.`,
              ...d.localAuthority.reasons,
              `${d.icb.kind === 'english-icb' || d.icb.body === null ? 'ICB' : `NHS body (${BODY_KIND_LABELS[d.icb.kind]})`}: ${d.icb.body === null ? 'not determined' : name(d.icb.body)}. Rules: ${d.icb.ruleIds.join(', ')}.`,
              `Citations: ${d.localAuthority.citations.join('; ')}.`,
              ...(d.needsHumanReview.length > 0 ? [`A person must decide: ${d.needsHumanReview.map((r) => r.message).join(' ')}`] : []),
            ],
      items: [],
    },
    {
      heading: '9. Statements of facts signed on behalf of each authority',
      paragraphs: councils.map((c) => `Signed on behalf of ${name(c)}: ______________________ (name, role, date).`),
      items: [],
    },
    {
      heading: 'Appendix. Correspondence between the authorities',
      paragraphs: [
        correspondence.length === 0
          ? 'No correspondence between the authorities is recorded in the s117 register.'
          : 'The responses, requests and notices exchanged through the s117 register, earliest first.',
      ],
      items: [],
      ...(correspondence.length === 0
        ? {}
        : {
            table: {
              caption: 'Correspondence between the authorities',
              head: ['Date', 'From', 'What was said'],
              rows: correspondence.map(([date, from, text]) => [long(date), from, text]),
            },
          }),
    },
  ];

  const title = `Referral pack: dispute ${dispute.id} (application ${app.id})`;
  return {
    id: input.id,
    applicationId: app.id,
    disputeId: dispute.id,
    personRef: app.personRef,
    generatedAt: input.generatedAt,
    referredOn,
    disputeDate: dispute.disputeDate,
    referralDue,
    legalArgumentsDue,
    ruleIds: ['R-DISP-LA-1', 'R-DISP-LA-2', 'R-DISP-LA-5', 'R-DISP-LA-6', 'R-DISP-LA-7'],
    sections,
    text: renderText(title, sections),
    html: renderHtml(title, sections),
  };
}

function renderText(title: string, sections: readonly PackSection[]): string {
  const out = [title, '='.repeat(title.length)];
  for (const s of sections) {
    out.push('', s.heading, '-'.repeat(s.heading.length));
    for (const p of s.paragraphs) out.push(p);
    for (const i of s.items) out.push(`  - ${i}`);
    if (s.table !== undefined) {
      out.push(`${s.table.caption}:`);
      for (const [first, ...rest] of s.table.rows) out.push(`  - ${first ?? ''}: ${rest.join(': ')}`);
    }
  }
  return `${out.join('\n')}\n`;
}

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** A pack table as HTML, with the NHS.UK design system's table classes (plain HTML elsewhere). */
export function tableHtml(table: PackTable): string {
  return (
    `<table class="nhsuk-table"><caption class="nhsuk-table__caption">${escapeHtml(table.caption)}</caption>` +
    `<thead class="nhsuk-table__head"><tr class="nhsuk-table__row">${table.head.map((h) => `<th scope="col" class="nhsuk-table__header">${escapeHtml(h)}</th>`).join('')}</tr></thead>` +
    `<tbody class="nhsuk-table__body">${table.rows.map((r) => `<tr class="nhsuk-table__row">${r.map((c) => `<td class="nhsuk-table__cell">${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
  );
}

/** The sections as HTML (headings from h2), for a page of its own or inside the workspace's layout. */
export function sectionsHtml(sections: readonly PackSection[]): string {
  return sections
    .map(
      (s) =>
        `<section><h2>${escapeHtml(s.heading)}</h2>${s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}` +
        `${s.items.length > 0 ? `<ul>${s.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>` : ''}` +
        `${s.table === undefined ? '' : tableHtml(s.table)}</section>`,
    )
    .join('');
}

function renderHtml(title: string, sections: readonly PackSection[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:Arial,sans-serif;max-width:50em"><h1>${escapeHtml(title)}</h1>${sectionsHtml(sections)}</body></html>`;
}
