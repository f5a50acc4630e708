import { describe, expect, it } from 'vitest';
import { calendarDateSchema, localDateSchema } from '#functions/shared/date.schema.ts';

describe('calendarDateSchema', () => {
  it.each(['2024-02-29', '2026-12-31', '2000-01-01'])('accepts %s', (date) => {
    expect(calendarDateSchema.safeParse(date)).toStrictEqual({ success: true, data: date });
  });

  it.each([
    { value: '2023-02-29', messages: ['is not a real calendar date'] },
    { value: '2026-13-01', messages: ['is not a real calendar date'] },
    { value: '2026-1-01', messages: ['must be a date written YYYY-MM-DD', 'is not a real calendar date'] },
    { value: '2026-01-01T00:00:00Z', messages: ['must be a date written YYYY-MM-DD', 'is not a real calendar date'] },
  ])('refuses $value: $messages', ({ value, messages }) => {
    const result = calendarDateSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toStrictEqual(messages);
  });
});

describe('localDateSchema', () => {
  it('checks only the written form (the case facts check the calendar themselves)', () => {
    expect(localDateSchema.safeParse('2023-02-30').success).toBe(true);
    expect(localDateSchema.safeParse('30/02/2023').success).toBe(false);
  });
});
