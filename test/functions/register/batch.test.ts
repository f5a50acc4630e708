import { describe, expect, it } from 'vitest';
import { parseBatch, parseCsv } from '#functions/register/batch.ts';
import { recordBatch } from '#functions/register/batch.use-case.ts';
import { ProblemError } from '#functions/shared/http-errors.ts';
import { caller, registerTestDeps } from './support.ts';

const CSV = [
  'nhs_number,event_type,date,end_date,section,outcome,la,icb,setting,basis',
  '943 476 5919,residence,2018-01-01,,,,E10000034,QGH,own-home,own-choice',
  '9434765919,gp-registration,2018-01-01,,,,,QGH,,',
  '9434765919,detention,2025-01-10,,3,,,,,',
  '9434765919,detention,2025-01-12,,99,,,,,',
  '1234567890,detention,2025-01-10,,3,,,,,',
  '9434765919,detention-ended,2025-02-30,,,discharged,,,,',
  '9434765919,detention-ended,2025-03-10,,,discharged,,,,',
  '4010232137,left-hospital,,,,,,,,',
  '9434765919,teleport,2025-03-10,,,,,,,',
  '4010232137,residence,2020-01-01,,,,E06000030,QOX,castle,own-choice',
  '9434765919,left-hospital,2025-03-10,,,,,,,',
  '9434765919,detention,2025-01-10,,3,,,,',
].join('\r\n');

describe('a CSV batch from a Mental Health Act office', () => {
  it('rejects bad rows row by row with the field and the reason, and records the good rows', async () => {
    const deps = registerTestDeps();

    const reply = await recordBatch(deps, { caller: caller('E10000034'), idempotencyKey: 'mha-office-2025-03-11', text: CSV });

    const body = reply.body as {
      rows: number;
      recorded: number;
      alreadyRecorded: number;
      rejectedRows: number;
      rejected: unknown[];
      accepted: { row: number; outcome: string }[];
    };
    expect(body.rejected).toStrictEqual([
      {
        row: 5,
        field: 'section',
        message: '"99" is not allowed; use 2, 3, 4, 5(2), 5(4), 35, 36, 37, 37/41, 38, 45A, 47, 47/49, 48, 48/49, 135, 136',
      },
      { row: 6, field: 'nhs_number', message: 'is not a valid NHS number (ten digits with a correct check digit)' },
      { row: 7, field: 'date', message: 'is not a real calendar date' },
      { row: 9, field: 'date', message: 'is required' },
      { row: 10, field: 'event_type', message: '"teleport" is not an event type' },
      {
        row: 11,
        field: 'setting',
        message:
          '"castle" is not allowed; use own-home, family-home, care-home, nursing-home, supported-living, shared-lives, hostel, hospital-informal, prison, no-fixed-abode, student-accommodation, other',
      },
      { row: 13, field: '(row)', message: 'has 9 cells; the header has 10' },
    ]);
    expect(body.accepted.map((a) => [a.row, a.outcome])).toStrictEqual([
      [2, 'recorded'],
      [3, 'recorded'],
      [4, 'recorded'],
      [8, 'recorded'],
      [12, 'recorded'],
    ]);
    expect([body.rows, body.recorded, body.alreadyRecorded, body.rejectedRows]).toStrictEqual([12, 5, 0, 7]);
    const episodes = await deps.store.listPartnershipEpisodes('west');
    expect(episodes.map((e) => [e.dutyArose, e.icb.body, e.localAuthority.body])).toStrictEqual([['2025-03-10', 'QGH', 'E10000034']]);
  });

  it('sent twice, the good rows land once: nothing new in the facts, the chronology or the mail', async () => {
    const deps = registerTestDeps();
    await recordBatch(deps, { caller: caller('E10000034'), idempotencyKey: 'mha-office-2025-03-11', text: CSV });
    const ref = (await deps.store.listPartnershipEpisodes('west'))[0]?.personRef ?? '';
    const before = {
      facts: (await deps.store.getPerson(ref))?.events.length,
      chronology: (await deps.chronology.list(ref)).length,
      mail: deps.mailer.sent.length,
    };

    const again = await recordBatch(deps, { caller: caller('E10000034'), idempotencyKey: 'mha-office-2025-03-11', text: CSV });

    const body = again.body as { recorded: number; alreadyRecorded: number; rejectedRows: number };
    expect([body.recorded, body.alreadyRecorded, body.rejectedRows]).toStrictEqual([0, 5, 7]);
    expect({
      facts: (await deps.store.getPerson(ref))?.events.length,
      chronology: (await deps.chronology.list(ref)).length,
      mail: deps.mailer.sent.length,
    }).toStrictEqual(before);
    expect(before.facts).toBe(5);
  });

  it("answers for people on another partnership's register exactly as for people on no register", async () => {
    const elsewhere = registerTestDeps();
    await recordBatch(elsewhere, { caller: caller('E10000034'), idempotencyKey: 'west-office', text: CSV });
    const nowhere = registerTestDeps();

    const onAnotherRegister = await recordBatch(elsewhere, { caller: caller('E10000030'), idempotencyKey: 'south-office', text: CSV });
    const onNoRegister = await recordBatch(nowhere, { caller: caller('E10000030'), idempotencyKey: 'south-office', text: CSV });

    expect(onAnotherRegister).toStrictEqual(onNoRegister);
    expect((onAnotherRegister.body as { recorded: number }).recorded).toBe(5);
  });

  it('refuses a file it cannot read as a batch, naming each problem', async () => {
    const deps = registerTestDeps();
    const attempt = recordBatch(deps, { caller: caller('E10000034'), idempotencyKey: 'k-12345678', text: 'nhs,event_type\n1,2\n' });
    await expect(attempt).rejects.toThrow(ProblemError);
    await attempt.catch((error: ProblemError) => {
      expect([error.status, error.errors]).toStrictEqual([
        400,
        [
          {
            field: 'header column 1',
            message:
              '"nhs" is not a column; use nhs_number, event_type, date, end_date, section, outcome, country, la, icb, setting, basis, hospital_la, hospital_icb, bed_commissioned_by, recall_from, cto_revoked, leave_kind',
          },
          { field: 'header', message: 'must name the column nhs_number' },
          { field: 'header', message: 'must name the column date' },
        ],
      ]);
    });
  });

  it('reads quoted fields, doubled quotes, CRLF and a byte-order mark', () => {
    expect(parseCsv('\ufeffa,"b,""c"""\r\n1,2\n').records).toStrictEqual([
      ['a', 'b,"c"'],
      ['1', '2'],
    ]);
    expect(parseCsv('a,"b\n1,2').error).toStrictEqual({ row: 1, message: 'a quoted field is never closed' });
    const parsed = parseBatch('nhs_number,event_type,date,recall_from,cto_revoked\n9434765919,recall,2025-05-01,cto,true\n');
    expect(parsed.ok ? parsed.rows.map((r) => r.event) : parsed).toStrictEqual([
      { type: 'recall', date: '2025-05-01', from: 'cto', ctoRevoked: true },
    ]);
  });
});
