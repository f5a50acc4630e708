/**
 * The determination in plain English, for a person: what is owed, by whom, why, and what a person
 * still has to decide.
 */
import { formatLongDate } from '../dates.ts';
import type { Determination, ResponsibleBody } from '../determination.ts';
import { citationsFor } from '../rules/catalog.ts';

const STATUS_WORDS: Record<Determination['eligibility']['status'], string> = {
  eligible: 'owed',
  'not-yet': 'not yet owed (the person has not yet left hospital after a qualifying detention)',
  'not-eligible': 'not owed (no qualifying detention)',
  ended: 'ended',
};

function bodyLine(label: string, b: ResponsibleBody): string {
  if (b.kind === 'none') return `${label}: none`;
  if (b.body === null)
    return `${label}: cannot be named from these facts (${b.kind === 'outside-england-and-wales' ? 'outside England and Wales' : 'see below'})`;
  const since = b.since ? `, since ${formatLongDate(b.since)}` : '';
  return `${label}: ${b.body}${since}`;
}

/** Renders a determination as text a panel member, a letter or the person can read. */
export function explainInPlainEnglish(d: Determination): string {
  const e = d.eligibility;
  const lines: string[] = [];
  lines.push(`Case ${d.caseId}, as the law stood on ${formatLongDate(d.evaluationDate)}`);
  lines.push('');
  const since = e.status === 'eligible' && e.since ? ` since ${formatLongDate(e.since)}` : '';
  const section = e.qualifyingSection ? ` (section ${e.qualifyingSection})` : '';
  lines.push(`Section 117 aftercare: ${STATUS_WORDS[e.status]}${since}${e.status === 'not-eligible' ? '' : section}`);
  lines.push(bodyLine(e.status === 'not-yet' ? 'ICB that will be responsible' : 'Responsible ICB', d.icb));
  lines.push(
    bodyLine(e.status === 'not-yet' ? 'Local authority that will be responsible' : 'Responsible local authority', d.localAuthority),
  );
  if (d.icb.commissioner && d.icb.commissioner.body !== d.icb.body)
    lines.push(`Commissioning CCG: ${d.icb.commissioner.body ?? 'not recorded'}`);
  lines.push('');
  lines.push('Why:');
  for (const line of d.explanation.filter((l) => !l.startsWith('A person must decide: '))) lines.push(`  - ${line}`);
  if (d.needsHumanReview.length > 0) {
    lines.push('');
    lines.push('A person must decide:');
    for (const item of d.needsHumanReview) lines.push(`  - ${item.message} [${item.code}]`);
  }
  lines.push('');
  lines.push('Rules applied:');
  const citations = new Set([
    ...citationsFor(e.ruleIds),
    ...d.icb.citations,
    ...d.localAuthority.citations,
    ...citationsFor(d.needsHumanReview.flatMap((r) => r.ruleIds)),
  ]);
  for (const c of citations) lines.push(`  - ${c}`);
  lines.push(`  (${d.ruleSet})`);
  return lines.join('\n');
}
