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

const KIND_WORDS: Record<ResponsibleBody['kind'], string> = {
  'english-icb': 'an English ICB',
  'nhs-england': 'NHS England',
  'welsh-health-board': 'a Welsh Local Health Board',
  'english-la': 'an English council',
  'welsh-la': 'a Welsh council',
  'outside-england-and-wales': 'outside England and Wales',
  none: 'none',
  undetermined: 'not yet determined',
};

function bodyLine(label: string, b: ResponsibleBody): string[] {
  if (b.kind === 'none') return [`${label}: none`];
  const choices = (b.candidates ?? []).map((c) => `      or ${c.answer} [${c.ruleIds.join(', ')}]`);
  if (b.body === null) {
    const why =
      b.kind === 'outside-england-and-wales'
        ? 'outside England and Wales'
        : b.candidates === undefined
          ? 'see below'
          : 'a person must decide between';
    return [`${label}: cannot be named from these facts (${why})`, ...choices.map((c, i) => (i === 0 ? c.replace('or ', '  ') : c))];
  }
  const since = b.since ? `, since ${formatLongDate(b.since)}` : '';
  const line = `${label}: ${b.body} (${KIND_WORDS[b.kind]})${since}`;
  if (b.provisional !== true) return [line];
  return [`${line}, provisional until a person decides between:`, ...choices.map((c, i) => (i === 0 ? c.replace('or ', '  ') : c))];
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
  lines.push(...bodyLine(e.status === 'not-yet' ? 'NHS body that will be responsible' : 'Responsible NHS body', d.icb));
  lines.push(
    ...bodyLine(e.status === 'not-yet' ? 'Local authority that will be responsible' : 'Responsible local authority', d.localAuthority),
  );
  if (d.icb.commissioner && d.icb.commissioner.body !== d.icb.body)
    lines.push(`Commissioning CCG: ${d.icb.commissioner.body ?? 'not recorded'}`);
  lines.push('');
  lines.push('Why:');
  for (const line of d.explanation.filter((l) => !l.startsWith('A person must decide: '))) lines.push(`  - ${line}`);
  if (d.needsHumanReview.length > 0) {
    lines.push('');
    lines.push('A person must decide:');
    for (const item of d.needsHumanReview) {
      // R-HUMAN-1: what must be decided, why, the candidate answers with their rules, and the facts that settle it.
      lines.push(`  - ${item.question ?? 'Please check:'} [${item.code}]`);
      lines.push(`    Why: ${item.message}`);
      for (const c of item.candidates ?? []) lines.push(`    Possible answer: ${c.answer} [${c.ruleIds.join(', ')}]`);
      if (item.factsNeeded !== undefined && item.factsNeeded.length > 0)
        lines.push(`    Facts that would settle it: ${item.factsNeeded.join('; ')}.`);
      if (item.ruleIds.length > 0) lines.push(`    Rules: ${item.ruleIds.join(', ')}`);
    }
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
