/**
 * A letter to the person (domain/register/letters.ts) as an accessible HTML page on the NHS.UK design system
 * (nhsuk-frontend's templates and stylesheet, as the workspace's pages) and as a tagged PDF through the one PDF
 * helper (functions/shared/pdf.ts). Large print: bigger type in both. Every value is escaped by Nunjucks.
 */
import type { Letter } from '#domain/register/letters.ts';
import { formatLongDate } from '#domain/dates.ts';
import type { PdfBlock, PdfDocumentModel } from '../shared/pdf.ts';
import { nhsukFiles, nunjucksRenderer, STYLESHEET_PATH, type Renderer } from '../workspace/nhsuk.ts';

const LETTER = `{% from "nhsuk/components/skip-link/macro.njk" import skipLink %}
<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>{{ letter.subject }}</title>
<link rel="stylesheet" href="{{ stylesheet }}">
</head>
<body>
{{ skipLink({ href: "#maincontent", text: "Skip to main content" }) }}
<div class="nhsuk-width-container">
<main class="nhsuk-main-wrapper" id="maincontent"{% if letter.largePrint %} style="font-size:150%"{% endif %}>
<h1>{{ letter.subject }}</h1>
<p>{{ date }}</p>
<p>{{ letter.greeting }}</p>
{% for section in letter.sections %}
<h2>{{ section.heading }}</h2>
{% for paragraph in section.paragraphs %}
<p>{{ paragraph }}</p>
{% endfor %}
{% if section.list and section.list | length %}
<ul class="nhsuk-list nhsuk-list--bullet">
{% for item in section.list %}
<li>{{ item }}</li>
{% endfor %}
</ul>
{% endif %}
{% endfor %}
{% for line in letter.signOff %}
<p>{{ line }}</p>
{% endfor %}
</main>
</div>
</body>
</html>
`;

let renderer: Renderer | undefined;

/** The letter as a standalone page: one h1, a heading per section, lists as lists, no script. */
export function letterPage(letter: Letter): string {
  renderer ??= nunjucksRenderer(nhsukFiles(new URL(import.meta.url)), { 'letter.njk': LETTER });
  return renderer('letter.njk', { letter, date: formatLongDate(letter.date), stylesheet: STYLESHEET_PATH });
}

/** The letter as the PDF helper's document model (large print when the letter is). */
export function letterPdfModel(letter: Letter): PdfDocumentModel {
  const blocks: PdfBlock[] = [
    { kind: 'heading', level: 1, text: letter.subject },
    { kind: 'paragraph', text: formatLongDate(letter.date) },
    { kind: 'paragraph', text: letter.greeting },
  ];
  for (const s of letter.sections) {
    blocks.push({ kind: 'heading', level: 2, text: s.heading });
    for (const p of s.paragraphs) blocks.push({ kind: 'paragraph', text: p });
    if (s.list !== undefined && s.list.length > 0) blocks.push({ kind: 'list', items: s.list });
  }
  for (const line of letter.signOff) blocks.push({ kind: 'paragraph', text: line });
  return {
    title: letter.subject,
    author: 'Section 117 aftercare team',
    subject: `s117 letter: ${letter.kind} (${letter.variant}, template ${letter.templateVersion})`,
    created: new Date(`${letter.date}T00:00:00.000Z`),
    largePrint: letter.largePrint,
    blocks,
  };
}
