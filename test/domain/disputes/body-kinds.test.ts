/**
 * Issue 14 item 3: a dispute never makes a Welsh body, or one outside England and Wales, a party to an English process
 * (R-WP-117-12, R-XB-1 to R-XB-3). The directory may list such a body as an "icb" or "la" member; the determination
 * says what it is.
 */
import { describe, expect, it } from 'vitest';
import type { Application, PartyResponse } from '#domain/applications/application.ts';
import type { BodyKind, Candidate, Determination } from '#domain/determination.ts';
import { classifyDispute, KIND_RULE_IDS, type Dispute } from '#domain/disputes/dispute.ts';
import { buildReferralPack } from '#domain/disputes/referral-pack.ts';
import type { OrganisationKind } from '#domain/partnership.ts';
import { application } from '../../support/application-builder.ts';

const DIRECTORY: Record<string, OrganisationKind> = {
  'ICB-A': 'icb',
  'ICB-B': 'icb',
  W11000023: 'icb',
  S08000031: 'icb',
  'LA-A': 'la',
  'LA-B': 'la',
  W06000015: 'la',
  S12000036: 'la',
};
const kindOf = (org: string): OrganisationKind | undefined => DIRECTORY[org];

const AT = '2025-01-15T10:00:00.000Z';
const respond = (party: 'icb' | 'la', body: string, proposedBody: string): PartyResponse => ({
  party,
  body,
  decision: 'dispute',
  reason: 'not ours',
  proposedBody,
  at: AT,
  by: 'u',
});

/** The base application's determination, with the bodies and candidates of the given kinds. */
function withBodies(icb: [string, BodyKind], la: [string, BodyKind], candidates: [string, BodyKind][] = []): Determination {
  const d = application().determination;
  if (d === null) throw new Error('no determination');
  const extra: Candidate[] = candidates.map(([body, kind]) => ({ answer: body, body, kind, ruleIds: ['R-HUMAN-1'] }));
  return {
    ...d,
    icb: {
      ...d.icb,
      body: icb[0],
      kind: icb[1],
      candidates: extra.filter((c) => c.kind === 'english-icb' || c.kind === 'welsh-health-board'),
    },
    localAuthority: {
      ...d.localAuthority,
      body: la[0],
      kind: la[1],
      candidates: extra.filter((c) => !(c.kind === 'english-icb' || c.kind === 'welsh-health-board')),
    },
  };
}
const classify = (determination: Determination, responses: Application['responses']) =>
  classifyDispute(application({ status: 'interim', determination, responses }), kindOf);

describe('disputes per body kind', () => {
  it('an English ICB naming another English ICB: between ICBs under Who Pays?, no cross-border rule', () => {
    const c = classify(withBodies(['ICB-A', 'english-icb'], ['LA-A', 'english-la']), { icb: respond('icb', 'ICB-A', 'ICB-B') });
    expect(c?.kind).toBe('icb-icb');
    expect(c?.ruleIds).toStrictEqual([...KIND_RULE_IDS['icb-icb']]);
    expect(c?.reason).toContain('a dispute between ICBs under Who Pays?');
  });

  it('an English ICB naming a Welsh Local Health Board: not a dispute between ICBs; the bodies settle it (R-XB-2)', () => {
    const c = classify(withBodies(['ICB-A', 'english-icb'], ['LA-A', 'english-la'], [['W11000023', 'welsh-health-board']]), {
      icb: respond('icb', 'ICB-A', 'W11000023'),
    });
    expect(c?.kind).toBe('icb-la');
    expect(c?.ruleIds).toStrictEqual([...KIND_RULE_IDS['icb-la'], 'R-XB-2']);
    expect(c?.bodies).toStrictEqual(['ICB-A', 'LA-A', 'W11000023']);
    expect(c?.reason).toContain('names W11000023 (a Welsh Local Health Board)');
    expect(c?.reason).toContain('ICB-A (an integrated care board)');
    expect(c?.reason).not.toContain('a dispute between ICBs');
  });

  it('a Welsh Local Health Board the engine named, disputing and naming an English ICB, is never made an English ICB', () => {
    const c = classify(withBodies(['W11000023', 'welsh-health-board'], ['W06000015', 'welsh-la'], [['ICB-B', 'english-icb']]), {
      icb: respond('icb', 'W11000023', 'ICB-B'),
    });
    expect(c?.kind).toBe('icb-la');
    expect(c?.ruleIds).toContain('R-XB-2');
    expect(c?.reason).toMatch(
      /^W11000023 \(a Welsh Local Health Board\) disputes responsibility and names ICB-B \(an integrated care board\)/u,
    );
  });

  it('an English council naming a Welsh council: between councils, for the Secretary of State or the Welsh Ministers (R-XB-2)', () => {
    const c = classify(withBodies(['ICB-A', 'english-icb'], ['LA-A', 'english-la'], [['W06000015', 'welsh-la']]), {
      la: respond('la', 'LA-A', 'W06000015'),
    });
    expect(c?.kind).toBe('la-la');
    expect(c?.ruleIds).toStrictEqual([...KIND_RULE_IDS['la-la'], 'R-XB-2']);
    expect(c?.bodies).toStrictEqual(['LA-A', 'W06000015']);
    expect(c?.reason).toContain('names W06000015 (a Welsh council)');
    expect(c?.reason).toContain('the Welsh Ministers');
    expect(c?.reason).not.toContain('SI 2014/2829');
  });

  it('an English council naming a Scottish council: the Secretary of State under Care Act Schedule 1 (R-DISP-LA-10)', () => {
    const c = classify(withBodies(['ICB-A', 'english-icb'], ['LA-A', 'english-la'], [['S12000036', 'outside-england-and-wales']]), {
      la: respond('la', 'LA-A', 'S12000036'),
    });
    expect(c?.kind).toBe('la-la');
    expect(c?.ruleIds).toStrictEqual([...KIND_RULE_IDS['la-la'], 'R-DISP-LA-10']);
    expect(c?.reason).toContain('S12000036 (a body outside England and Wales)');
    expect(c?.reason).toContain('Care Act 2014 Schedule 1');
  });

  it('an English ICB naming a Scottish health board: no s117 duty on it; the bodies settle it (R-XB-3)', () => {
    const c = classify(withBodies(['ICB-A', 'english-icb'], ['LA-A', 'english-la'], [['S08000031', 'outside-england-and-wales']]), {
      icb: respond('icb', 'ICB-A', 'S08000031'),
    });
    expect(c?.kind).toBe('icb-la');
    expect(c?.ruleIds).toStrictEqual([...KIND_RULE_IDS['icb-la'], 'R-XB-3']);
  });

  it('an English council naming an English council keeps the Care Act s40 process', () => {
    const c = classify(withBodies(['ICB-A', 'english-icb'], ['LA-A', 'english-la']), { la: respond('la', 'LA-A', 'LA-B') });
    expect(c?.kind).toBe('la-la');
    expect(c?.ruleIds).toStrictEqual([...KIND_RULE_IDS['la-la']]);
    expect(c?.reason).toContain('SI 2014/2829');
  });
});

describe('the referral pack names the NHS body by its kind', () => {
  const pack = (determination: Determination): string =>
    buildReferralPack({
      id: 'pack-1',
      app: application({ determination }),
      dispute: {
        id: 'dsp_1',
        kind: 'la-la',
        bodies: ['LA-A', 'W06000015'],
        lead: 'LA-A',
        disputeDate: '2025-01-15',
        basis: 'basis',
        stages: [],
        interimArrangementId: 'none',
      } as unknown as Dispute,
      chronology: [],
      names: {},
      referredOn: '2025-05-15',
      generatedAt: '2025-05-15T12:00:00.000Z',
    }).text;

  it.each([
    ['welsh-health-board', 'NHS body (Welsh Local Health Board): W11000023.'],
    ['nhs-england', 'NHS body (NHS England): W11000023.'],
    ['outside-england-and-wales', 'NHS body (body outside England and Wales): W11000023.'],
    ['english-icb', 'ICB: W11000023.'],
  ] as const)('a %s is written as %j', (kind, line) => {
    const text = pack(withBodies(['W11000023', kind], ['W06000015', 'welsh-la']));
    expect(text).toContain(line);
    if (kind !== 'english-icb') expect(text).not.toContain('ICB: W11000023');
  });
});
