/**
 * A seeded generator of realistic synthetic case-facts histories, for benchmarks and property tests.
 * Deterministic: the same seed gives the same register, on any machine. No clock and no Math.random.
 */
import { fromDayNumber, toDayNumber } from '#domain/dates.ts';
import { eventDate } from '#domain/facts.ts';
import type {
  AftercareEndReason,
  Area,
  ArrangedUnder,
  CaseEvent,
  CaseFacts,
  DetentionEvent,
  DetentionOutcome,
  MhaSection,
  ResidenceBasis,
  ResidenceSetting,
  S17LeaveKind,
} from '#domain/facts.ts';

/** mulberry32: a tiny, fast 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;

const int = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
const chance = (rng: Rng, p: number): boolean => rng() < p;
function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}
function weighted<T>(rng: Rng, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((sum, [, w]) => sum + w, 0);
  let r = rng() * total;
  for (const [value, w] of table) {
    r -= w;
    if (r < 0) return value;
  }
  const last = table[table.length - 1];
  if (last === undefined) throw new RangeError('weighted pick from an empty table');
  return last[0];
}

/**
 * About 40 areas: English local authorities (GSS codes) grouped under ICBs (ODS codes), a few Welsh
 * authorities with their Local Health Boards, and two Scottish council areas. Codes are realistic in form;
 * the grouping is illustrative, not a map.
 */
const ENGLISH_ICBS = ['QOX', 'QGH', 'QHL', 'QKK', 'QMJ', 'QRV', 'QWE', 'QUY', 'QSL', 'QJK', 'QT1', 'QE1'] as const;
export const AREAS: readonly Area[] = [
  ...Array.from({ length: 34 }, (_, i): Area => ({
    country: 'england',
    la: `E${pickLaPrefix(i)}${String(100 + i * 7).padStart(6, '0')}`,
    icb: ENGLISH_ICBS[i % ENGLISH_ICBS.length] ?? 'QOX',
  })),
  { country: 'wales', la: 'W06000015', icb: '7A4' },
  { country: 'wales', la: 'W06000011', icb: '7A3' },
  { country: 'wales', la: 'W06000001', icb: '7A1' },
  { country: 'wales', la: 'W06000022', icb: '7A6' },
  { country: 'scotland', la: 'S12000036', icb: 'S08000024' },
  { country: 'scotland', la: 'S12000049', icb: 'S08000031' },
];
function pickLaPrefix(i: number): string {
  return ['06', '08', '09', '10'][i % 4] ?? '06';
}
const ENGLISH_AREAS = AREAS.filter((a) => a.country === 'england');
const OTHER_AREAS = AREAS.filter((a) => a.country !== 'england');

const FIRST_DAY = toDayNumber('2008-01-01');
const LAST_EVENT_DAY = toDayNumber('2026-06-30');
const LAST_EVALUATION_DAY = toDayNumber('2026-12-31');

const SETTINGS_AT_HOME: readonly (readonly [ResidenceSetting, number])[] = [
  ['own-home', 40],
  ['family-home', 25],
  ['hostel', 6],
  ['student-accommodation', 3],
  ['no-fixed-abode', 3],
  ['other', 2],
];
const SETTINGS_PLACED: readonly (readonly [ResidenceSetting, number])[] = [
  ['care-home', 30],
  ['supported-living', 30],
  ['nursing-home', 10],
  ['shared-lives', 8],
  ['hostel', 6],
  ['other', 2],
];

interface Person {
  capacity: boolean | null | undefined;
  homeArea: Area;
}

/** Builds one history, episode by episode, moving a clock forward. */
class HistoryBuilder {
  readonly events: CaseEvent[] = [];
  day: number;

  constructor(
    private readonly rng: Rng,
    private readonly person: Person,
    start: number,
    private readonly target: number,
    readonly end: number,
  ) {
    this.day = start;
  }

  get remainingEvents(): number {
    return this.target - this.events.length;
  }
  get remainingDays(): number {
    return this.end - this.day;
  }

  /** A gap before the next episode that spreads the remaining episodes over the remaining years. */
  advance(): void {
    const episodesLeft = Math.max(1, this.remainingEvents / 3.5);
    const mean = this.remainingDays / (episodesLeft + 1);
    this.day += Math.max(1, Math.floor(mean * (0.3 + this.rng() * 1.4)));
  }

  /** A duration inside an episode, shrunk so that the history still fits before the last event day. */
  span(min: number, max: number): number {
    const room = Math.max(1, Math.floor(this.remainingDays / (1 + this.remainingEvents / 3.5)));
    return Math.max(0, Math.min(int(this.rng, min, max), room));
  }

  date(day = this.day): string {
    return fromDayNumber(day);
  }

  otherArea(): Area {
    return chance(this.rng, 0.9) ? pick(this.rng, ENGLISH_AREAS) : pick(this.rng, OTHER_AREAS);
  }

  residence(area: Area, setting: ResidenceSetting, basis: ResidenceBasis, arrangedBy?: { body: string; under: ArrangedUnder }): void {
    this.events.push({ type: 'residence', from: this.date(), area, setting, basis, ...(arrangedBy ? { arrangedBy } : {}) });
  }

  gp(area: Area | null): void {
    const country = area?.country;
    this.events.push({
      type: 'gp-registration',
      from: this.date(),
      icb: area?.icb ?? null,
      ...(country !== undefined && country !== 'england' && country !== 'outside-uk' ? { country } : {}),
    });
  }

  /** The voluntary element of a chosen home: own choice, or a best-interests decision where capacity is lacking. */
  chosenBasis(): ResidenceBasis {
    if (this.person.capacity === false) return chance(this.rng, 0.85) ? 'best-interests-decision' : 'unknown';
    return chance(this.rng, 0.95) ? 'own-choice' : 'unknown';
  }

  move(): void {
    const area = this.otherArea();
    this.person.homeArea = area;
    const arranged = chance(this.rng, 0.12)
      ? {
          body: pick(this.rng, ENGLISH_AREAS).la ?? 'E06000001',
          under: weighted<ArrangedUnder>(this.rng, [
            ['care-act-2014', 6],
            ['national-assistance-act-1948', 1],
            ['nhs-continuing-healthcare', 1],
            ['other', 1],
          ]),
        }
      : undefined;
    this.residence(area, weighted(this.rng, arranged ? SETTINGS_PLACED : SETTINGS_AT_HOME), this.chosenBasis(), arranged);
    if (chance(this.rng, 0.8)) {
      this.day += int(this.rng, 0, 60);
      this.gp(chance(this.rng, 0.05) ? null : area);
    }
  }

  gpChange(): void {
    this.gp(chance(this.rng, 0.08) ? null : chance(this.rng, 0.7) ? this.person.homeArea : this.otherArea());
  }

  detain(section: MhaSection, hospitalArea: Area): void {
    const event: DetentionEvent = { type: 'detention', from: this.date(), section };
    if (chance(this.rng, 0.9)) event.hospitalArea = hospitalArea;
    if (section === '37/41' || section === '47/49' || section === '48/49') {
      if (chance(this.rng, 0.7)) event.bedCommissionedBy = 'nhs-england';
    } else if (chance(this.rng, 0.1)) {
      event.bedCommissionedBy = chance(this.rng, 0.3) ? 'nhs-england' : 'icb';
    }
    this.events.push(event);
  }

  imprison(days: number): void {
    this.events.push({ type: 'imprisonment', from: this.date(), to: this.date(this.day + days) });
  }

  /** A hospital episode: possibly a place of safety first, a detention (with conversions), leave, and its end. */
  detentionEpisode(): void {
    const rng = this.rng;
    const hospitalArea = chance(rng, 0.7) ? this.person.homeArea : this.otherArea();
    const kind = weighted(rng, [
      ['civil', 70],
      ['court', 13],
      ['transfer', 8],
      ['holding', 9],
    ] as const);
    let section: MhaSection;
    if (kind === 'civil') {
      if (chance(rng, 0.15)) {
        this.detain(chance(rng, 0.7) ? '136' : '135', hospitalArea);
        this.day += int(rng, 0, 1);
      }
      section = weighted<MhaSection>(rng, [
        ['2', 60],
        ['3', 35],
        ['4', 5],
      ]);
      this.detain(section, hospitalArea);
      if ((section === '2' || section === '4') && chance(rng, 0.5)) {
        this.day += this.span(3, 27);
        section = '3';
        this.detain(section, hospitalArea);
      }
    } else if (kind === 'holding') {
      this.events.push({ type: 'informal-admission', from: this.date(), hospitalArea });
      this.day += this.span(1, 20);
      this.detain(chance(rng, 0.8) ? '5(2)' : '5(4)', hospitalArea);
      this.day += this.span(0, 3);
      section = chance(rng, 0.6) ? '2' : '3';
      this.detain(section, hospitalArea);
    } else if (kind === 'court') {
      if (chance(rng, 0.3)) {
        this.detain(
          weighted<MhaSection>(rng, [
            ['35', 3],
            ['36', 1],
            ['38', 2],
          ]),
          hospitalArea,
        );
        this.day += this.span(14, 84);
      }
      section = chance(rng, 0.65) ? '37' : '37/41';
      this.detain(section, hospitalArea);
    } else {
      const sentence = this.span(60, 900);
      this.imprison(sentence);
      this.day += this.span(20, Math.max(20, sentence - 10));
      section = weighted<MhaSection>(rng, [
        ['47', 3],
        ['47/49', 4],
        ['48', 1],
        ['48/49', 2],
      ]);
      this.detain(section, hospitalArea);
    }

    const stay = this.span(14, 400);
    if (chance(rng, 0.35) && stay > 10) {
      const leaveFrom = this.day + int(rng, 5, Math.max(5, stay - 5));
      const leaveKind = weighted<S17LeaveKind>(rng, [
        ['escorted-day', 4],
        ['unescorted-day', 3],
        ['overnight', 3],
        ['extended-community', 1],
        ['trial-placement', 1],
      ]);
      this.day = leaveFrom;
      this.events.push({
        type: 's17-leave',
        from: this.date(),
        to: this.date(leaveFrom + (leaveKind.endsWith('day') ? 0 : int(rng, 1, 28))),
        kind: leaveKind,
      });
      this.day = Math.max(this.day + 1, this.day + this.span(1, 30));
    } else {
      this.day += stay;
    }

    const restricted = section === '37/41' || section === '47/49' || section === '48/49';
    const transfer = section.startsWith('47') || section.startsWith('48');
    const outcome = weighted<DetentionOutcome>(
      rng,
      restricted
        ? [
            ['conditional-discharge', 55],
            ['discharged', 20],
            ['returned-to-prison', transfer ? 20 : 0],
            ['died', 1],
          ]
        : transfer
          ? [
              ['returned-to-prison', 35],
              ['discharged', 50],
              ['community-treatment-order', 10],
              ['died', 1],
            ]
          : section === '3' || section === '37'
            ? [
                ['discharged', 58],
                ['community-treatment-order', 25],
                ['remained-informal', 12],
                ['died', 1],
              ]
            : [
                ['discharged', 70],
                ['remained-informal', 25],
                ['died', 1],
              ],
    );
    this.events.push({ type: 'detention-ended', date: this.date(), outcome });
    if (outcome === 'died') return;
    if (outcome === 'returned-to-prison') {
      this.imprison(this.span(30, 500));
      return;
    }
    if (outcome === 'remained-informal') this.day += this.span(1, 200);
    this.events.push({ type: 'left-hospital', date: this.date() });
    this.afterDischarge(outcome);
  }

  afterDischarge(outcome: DetentionOutcome): void {
    const rng = this.rng;
    const dischargeDay = this.day;
    const where = weighted(rng, [
      ['home', 50],
      ['placed', 30],
      ['unrecorded', 20],
    ] as const);
    if (where === 'home') {
      this.residence(
        this.person.homeArea,
        weighted(rng, SETTINGS_AT_HOME),
        outcome === 'conditional-discharge' && chance(rng, 0.4) ? 'condition-of-discharge' : this.chosenBasis(),
      );
    } else if (where === 'placed') {
      const placingLa = this.person.homeArea.la ?? 'E06000001';
      const area = chance(rng, 0.6) ? this.otherArea() : this.person.homeArea;
      const basis: ResidenceBasis = outcome === 'conditional-discharge' && chance(rng, 0.5) ? 'condition-of-discharge' : this.chosenBasis();
      this.residence(area, weighted(rng, SETTINGS_PLACED), basis, {
        body: placingLa,
        under: chance(rng, 0.85) ? 'mha-s117' : 'care-act-2014',
      });
      this.person.homeArea = area;
      if (chance(rng, 0.6)) {
        this.day += int(rng, 0, 45);
        this.gp(area);
      }
    }
    if (outcome === 'community-treatment-order') {
      // The CTO starts on discharge; the placement and GP events above may be dated a little later.
      const ctoStart = dischargeDay;
      const lasts = this.span(90, 720);
      const recalled = chance(rng, 0.3);
      const revoked = recalled && chance(rng, 0.4);
      const ended = !revoked && chance(rng, 0.6);
      this.events.push({ type: 'cto', from: this.date(ctoStart), ...(ended ? { to: this.date(ctoStart + lasts) } : {}) });
      if (recalled) {
        this.day = Math.max(this.day, ctoStart + int(rng, 1, Math.max(1, lasts - 1)));
        this.events.push({ type: 'recall', date: this.date(), from: 'cto', ctoRevoked: revoked });
        // Revocation returns the person to detention under the original section until a fresh discharge.
        this.day += revoked ? this.span(14, 200) : this.span(1, 3);
        if (revoked) {
          this.events.push({ type: 'detention-ended', date: this.date(), outcome: 'discharged' });
          this.events.push({ type: 'left-hospital', date: this.date() });
        }
      }
      this.day = Math.max(this.day, ended ? ctoStart + lasts : ctoStart);
    } else if (outcome === 'conditional-discharge' && chance(rng, 0.15)) {
      this.day += this.span(30, 500);
      this.events.push({ type: 'recall', date: this.date(), from: 'conditional-discharge' });
    }
  }

  informalAdmission(): void {
    const from = this.day;
    const days = this.span(3, 90);
    this.events.push({
      type: 'informal-admission',
      from: this.date(from),
      to: this.date(from + days),
      hospitalArea: chance(this.rng, 0.8) ? this.person.homeArea : this.otherArea(),
    });
    this.day = from + days;
  }

  prisonSpell(): void {
    const days = this.span(30, 900);
    this.imprison(days);
    if (chance(this.rng, 0.3)) this.residence(this.person.homeArea, 'prison', 'court-order');
    this.day += days;
  }

  aftercareEnded(): void {
    const rng = this.rng;
    const lawful = chance(rng, 0.55);
    const reasons: AftercareEndReason[] = lawful
      ? [
          weighted<AftercareEndReason>(rng, [
            ['no-longer-needs-aftercare', 8],
            ['discharged-from-specialist-services', 2],
          ]),
        ]
      : [
          weighted<AftercareEndReason>(rng, [
            ['refuses-services', 3],
            ['moved-area', 2],
            ['time-elapsed', 2],
            ['deprived-of-liberty-mca', 1],
            ['readmitted-informally-or-s2', 1],
            ['cto-or-s17-ended', 1],
          ]),
        ];
    if (chance(rng, 0.2)) reasons.push('no-longer-needs-aftercare');
    this.events.push({
      type: 'aftercare-ended',
      date: this.date(),
      icbAgreed: lawful || chance(rng, 0.5),
      laAgreed: lawful || chance(rng, 0.4),
      reasons,
      ...(chance(rng, 0.8) ? { personInvolved: lawful || chance(rng, 0.5) } : {}),
    });
  }
}

/** One synthetic history: 5 to 40 events in date order between 2008 and 2026, evaluated on or after the last. */
export function generateCaseFacts(rng: Rng, id: string): CaseFacts {
  const target = int(rng, 5, 40);
  const capacity = weighted<boolean | null | undefined>(rng, [
    [true, 50],
    [false, 25],
    [null, 10],
    [undefined, 15],
  ]);
  const homeArea = chance(rng, 0.94) ? pick(rng, ENGLISH_AREAS) : pick(rng, OTHER_AREAS);
  const person: Person = { capacity, homeArea };
  // Histories end (and are evaluated) anywhere from 2010 to 2026, so every dated rule set gets cases;
  // each gets at least two years, more for longer histories.
  const start = FIRST_DAY + int(rng, 0, toDayNumber('2024-06-30') - FIRST_DAY);
  const minLength = 730 + target * 30;
  const end = Math.min(LAST_EVENT_DAY, start + minLength + int(rng, 0, Math.max(0, LAST_EVENT_DAY - start - minLength)));
  const h = new HistoryBuilder(rng, person, start, target, end);

  h.residence(homeArea, weighted(rng, SETTINGS_AT_HOME), h.chosenBasis());
  if (chance(rng, 0.92)) h.gp(homeArea);

  let first = true;
  while (h.events.length < target && h.day < h.end) {
    h.advance();
    if (h.day >= h.end) break;
    const before = h.events.length;
    const snapshotDay = h.day;
    const episode = first
      ? 'detention'
      : weighted(rng, [
          ['detention', 34],
          ['move', 20],
          ['gp', 14],
          ['informal', 8],
          ['prison', 5],
          ['aftercare-ended', 9],
          ['detention-again', 10],
        ] as const);
    first = false;
    switch (episode) {
      case 'detention':
      case 'detention-again':
        h.detentionEpisode();
        break;
      case 'move':
        h.move();
        break;
      case 'gp':
        h.gpChange();
        break;
      case 'informal':
        h.informalAdmission();
        break;
      case 'prison':
        h.prisonSpell();
        break;
      case 'aftercare-ended':
        h.aftercareEnded();
        break;
    }
    // An episode that would overrun the 40-event limit or the date range is dropped whole.
    const overran = h.events.length > 40 || latestDateFrom(h.events, before) > fromDayNumber(h.end);
    if (overran) {
      h.events.length = before;
      h.day = snapshotDay;
      break;
    }
  }
  while (h.events.length < 5) {
    h.day = Math.min(LAST_EVENT_DAY, h.day + int(rng, 1, 30));
    h.gpChange();
  }

  // Episodes emit events in order; a stable sort by date guards the few that reach back (a prison spell's start).
  const events = h.events
    .map((e, i) => ({ e, i, d: eventDate(e) }))
    .sort((a, b) => (a.d < b.d ? -1 : a.d > b.d ? 1 : a.i - b.i))
    .map(({ e }) => e);
  const lastDay = toDayNumber(eventDate(events[events.length - 1] ?? events[0] ?? { type: 'left-hospital', date: '2008-01-01' }));
  const evaluationDate = fromDayNumber(Math.min(LAST_EVALUATION_DAY, Math.max(lastDay, lastDay + int(rng, -30, 400))));

  const facts: CaseFacts = { id, evaluationDate, events };
  if (capacity !== undefined || chance(rng, 0.5)) {
    facts.person = {
      dateOfBirth: fromDayNumber(toDayNumber('1940-01-01') + int(rng, 0, toDayNumber('2004-12-31') - toDayNumber('1940-01-01'))),
      ...(capacity !== undefined ? { capacityToDecideResidence: capacity } : {}),
    };
  }
  return facts;
}

/** The latest date among the events from index `from` on, including the end dates of spans. */
function latestDateFrom(events: CaseEvent[], from: number): string {
  let latest = '0000-00-00';
  for (let i = from; i < events.length; i += 1) {
    const e = events[i];
    if (e === undefined) continue;
    const start = eventDate(e);
    const end = 'to' in e && e.to !== undefined ? e.to : start;
    if (end > latest) latest = end;
  }
  return latest;
}

/** COUNT synthetic histories from SEED, ids SYN-000000 upwards. */
export function generateRegister(count: number, seed: number): CaseFacts[] {
  const rng = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => generateCaseFacts(rng, `SYN-${String(i).padStart(6, '0')}`));
}
