/**
 * The workspace pages' Nunjucks templates, by name (html.ts puts them ahead of nhsuk-frontend's on the search path).
 * They call the package's macros; Nunjucks autoescapes every value they are given. A table cell given as `html`
 * is built by the page with escapeHtml (a link round an escaped value).
 */
const MACROS = `{% from "nhsuk/components/tables/macro.njk" import table %}
{% from "nhsuk/components/summary-list/macro.njk" import summaryList %}
{% from "nhsuk/components/radios/macro.njk" import radios %}
{% from "nhsuk/components/textarea/macro.njk" import textarea %}
{% from "nhsuk/components/input/macro.njk" import input %}
{% from "nhsuk/components/select/macro.njk" import select %}
{% from "nhsuk/components/button/macro.njk" import button %}
{% from "nhsuk/components/inset-text/macro.njk" import insetText %}
{% from "nhsuk/components/back-link/macro.njk" import backLink %}
`;

const HOME = `<p>You are signed in for {{ org }} as {{ role }}. Your session ends after {{ hours }} hours, or when you sign out.</p>
{% if links | length %}
<ul class="nhsuk-list">
{% for link in links %}
  <li><a href="{{ link.href }}">{{ link.text }}</a> - {{ link.hint }}</li>
{% endfor %}
</ul>
{% else %}
<p>There are no workspace pages for your role yet.</p>
{% endif %}
`;

/** A table, or a sentence when it has no rows. */
const TABLE_OR_EMPTY = `${MACROS}
{% if action %}<p><a class="nhsuk-button" href="{{ action.href }}">{{ action.text }}</a></p>{% endif %}
{% if rows | length %}
{{ table({ caption: caption, head: head, rows: rows, responsive: true }) }}
{% else %}
<p>{{ empty }}</p>
{% endif %}
{% if next %}<p><a href="{{ next }}">Next page</a></p>{% endif %}
`;

const APPLICATION = `${MACROS}
{{ backLink({ href: "/app/applications", text: "All applications" }) }}
{% if submitted %}{{ insetText({ text: submitted }) }}{% endif %}
{{ summaryList({ rows: summary }) }}

<h2>Determination</h2>
{% if determination %}
{{ summaryList({ rows: determination.rows }) }}
{% if determination.reasons | length %}
<h3>Reasons</h3>
<ul>
{% for reason in determination.reasons %}<li>{{ reason }}</li>{% endfor %}
</ul>
{% endif %}
{% else %}
<p>The engine has not determined this application yet.</p>
{% endif %}

<h2>Funding timeline</h2>
{% if funding | length %}
{{ table({ caption: "Funding arrangements, oldest first (the last is in force)", head: fundingHead, rows: funding, responsive: true }) }}
{% else %}
<p>No funding has been arranged.</p>
{% endif %}

<h2>Responses</h2>
{% if responses | length %}
{{ table({ caption: "Answers of the determined bodies", head: responsesHead, rows: responses, responsive: true }) }}
{% else %}
<p>No body has answered yet.</p>
{% endif %}

<h2 id="answer">Answer for your body</h2>
{% if form %}
<form method="post" action="{{ form.action }}" novalidate>
<input type="hidden" name="csrf" value="{{ csrf }}">
{{ radios({
  name: "decision", idPrefix: "decision",
  fieldset: { legend: { text: "Does " + form.body + " accept the determination?", size: "s" } },
  errorMessage: { text: form.errors.decision } if form.errors.decision else undefined,
  items: [
    { value: "accept", text: "Accept", checked: form.values.decision == "accept" },
    { value: "dispute", text: "Dispute", checked: form.values.decision == "dispute" }
  ]
}) }}
{{ radios({
  name: "about", idPrefix: "about",
  fieldset: { legend: { text: "If you dispute, what do you dispute?", size: "s" } },
  errorMessage: { text: form.errors.about } if form.errors.about else undefined,
  items: [
    { value: "responsibility", text: "Who is responsible", checked: form.values.about != "apportionment" },
    { value: "apportionment", text: "How the cost is shared", checked: form.values.about == "apportionment" }
  ]
}) }}
{{ textarea({
  name: "reason", id: "reason", value: form.values.reason,
  label: { text: "Reasons (required for a dispute)" },
  errorMessage: { text: form.errors.reason } if form.errors.reason else undefined
}) }}
{{ input({
  name: "proposedBody", id: "proposedBody", value: form.values.proposedBody, classes: "nhsuk-input--width-10",
  label: { text: "The body you say is responsible (organisation code, optional)" },
  hint: { text: "For example QOX or E10000034" },
  errorMessage: { text: form.errors.proposedBody } if form.errors.proposedBody else undefined
}) }}
{{ button({ text: "Send answer" }) }}
</form>
{% else %}
<p>{{ noForm }}</p>
{% endif %}

<h2>Chronology</h2>
{% if chronology | length %}
{{ table({ caption: "What happened, in order", head: chronologyHead, rows: chronology, responsive: true }) }}
{% else %}
<p>Nothing has been recorded yet.</p>
{% endif %}
`;

const EXPORTS = `${MACROS}
<form method="get" action="/app/exports/download" novalidate>
{{ select({
  id: "partnership", name: "partnership",
  label: { text: "Partnership" },
  items: partnerships,
  errorMessage: { text: errors.partnership } if errors.partnership else undefined
}) }}
{{ input({
  id: "period", name: "period", value: period, classes: "nhsuk-input--width-10",
  label: { text: "Period" },
  hint: { text: "A calendar month, YYYY-MM, for example 2025-03" },
  errorMessage: { text: errors.period } if errors.period else undefined
}) }}
{{ radios({
  name: "format", idPrefix: "format",
  fieldset: { legend: { text: "Format", size: "s" } },
  errorMessage: { text: errors.format } if errors.format else undefined,
  items: [
    { value: "csv", text: "CSV", checked: format != "xlsx" },
    { value: "xlsx", text: "Excel workbook (XLSX)", checked: format == "xlsx" }
  ]
}) }}
{{ button({ text: "Download" }) }}
</form>
<h2>Earlier batches</h2>
{% if rows | length %}
{{ table({ caption: caption, head: head, rows: rows, responsive: true }) }}
{% else %}
<p>{{ empty }}</p>
{% endif %}
`;

const REGISTER = `${MACROS}
<form method="get" action="/app/register" novalidate>
{{ select({
  id: "status", name: "status",
  label: { text: "Status" },
  items: statuses,
  errorMessage: { text: statusError } if statusError else undefined
}) }}
{{ button({ text: "Show", classes: "nhsuk-button--secondary" }) }}
</form>
{% if rows | length %}
{{ table({ caption: caption, head: head, rows: rows, responsive: true }) }}
{% else %}
<p>{{ empty }}</p>
{% endif %}
`;

/** One text field of the application form: `f` is its name and id. */
const field = (f: string, label: string, extra = ''): string =>
  `{{ input({ id: "${f}", name: "${f}", value: values.${f}, label: { text: "${label}" }, errorMessage: { text: errors.${f} } if errors.${f} else undefined${extra} }) }}`;
const choice = (f: string, label: string, items: string): string =>
  `{{ select({ id: "${f}", name: "${f}", label: { text: "${label}" }, items: ${items}, errorMessage: { text: errors.${f} } if errors.${f} else undefined }) }}`;
const DATE = ', hint: { text: "As YYYY-MM-DD, for example 2024-06-10" }, classes: "nhsuk-input--width-10", attributes: { maxlength: "10" }';
const CODE = (hint: string): string => `, hint: { text: "${hint}" }, classes: "nhsuk-input--width-10", attributes: { maxlength: "16" }`;

const NEW_APPLICATION = `${MACROS}
{% from "nhsuk/components/fieldset/macro.njk" import fieldset %}
{{ backLink({ href: "/app/applications", text: "All applications" }) }}
<p>Interim funding is put in place from the date aftercare is needed, before any body answers. Every field is required unless it says optional.</p>
<form method="post" action="/app/new-application" novalidate id="new-application">
<input type="hidden" name="csrf" value="{{ csrf }}">
<input type="hidden" name="key" value="{{ key }}">
{% call fieldset({ legend: { text: "The person", size: "m" } }) %}
${field('nhsNumber', 'NHS number', ', hint: { text: "10 digits, for example 943 476 5919" }, classes: "nhsuk-input--width-10", inputmode: "numeric", attributes: { maxlength: "20" }, autocomplete: "off"')}
${field('name', 'Full name (optional)', ', attributes: { maxlength: "200" }, autocomplete: "off"')}
{% endcall %}
{% call fieldset({ legend: { text: "The application", size: "m" } }) %}
${choice('partnershipId', 'Partnership', 'partnerships')}
${field('requestedStartDate', 'Date aftercare is needed from', DATE)}
{% endcall %}
{% call fieldset({ legend: { text: "Where they lived before detention", size: "m" } }) %}
${field('residenceFrom', 'Lived there from', DATE)}
${choice('residenceCountry', 'Country', 'countries')}
${field('residenceLa', 'Council code (optional outside England)', CODE('For example E10000034'))}
${field('residenceIcb', 'ICB code (optional outside England)', CODE('For example QOX'))}
${choice('residenceSetting', 'Kind of home', 'settings')}
${choice('residenceBasis', 'How they came to live there', 'bases')}
${field('gpIcb', "GP practice's ICB code (optional)", CODE('The ICB of the practice they were registered with, from the same date'))}
{% endcall %}
{% call fieldset({ legend: { text: "The detention after which aftercare is needed", size: "m" } }) %}
${field('detentionFrom', 'Detained from', DATE)}
${choice('detentionSection', 'Section of the Mental Health Act', 'sections')}
${field('hospitalLa', "Hospital's council code (optional)", CODE('For example E10000034'))}
${field('hospitalIcb', "Hospital's ICB code (optional)", CODE('For example QOX'))}
{% endcall %}
{% call fieldset({ legend: { text: "The aftercare service", size: "m" } }) %}
${field('serviceDescription', 'Service', ', hint: { text: "For example, supported living, 24-hour staffed" }, attributes: { maxlength: "500" }')}
${field('serviceProvider', 'Provider', ', attributes: { maxlength: "200" }')}
${choice('serviceCategory', 'Kind of service', 'categories')}
${field('weeklyCost', 'Weekly cost in pounds', ', prefix: "£", hint: { text: "For example 1850.00" }, classes: "nhsuk-input--width-10", inputmode: "decimal", attributes: { maxlength: "16" }')}
{% endcall %}
{{ button({ text: "Submit application" }) }}
</form>
`;

/**
 * A page of sections: an introduction, a summary list, then for each section its heading, a chart (an inline SVG
 * from chart.ts, whose texts it escapes itself) and the table behind it, or a sentence when the table is empty.
 */
const SECTIONS = `${MACROS}
{% if intro %}<p>{{ intro }}</p>{% endif %}
{% if summary %}{{ summaryList({ rows: summary }) }}{% endif %}
{% for section in sections %}
<h2 id="{{ section.id }}">{{ section.heading }}</h2>
{% if section.chart %}<figure class="nhsuk-u-margin-0 nhsuk-u-margin-bottom-4">{{ section.chart | safe }}</figure>{% endif %}
{% if section.rows | length %}
{{ table({ caption: section.caption, head: section.head, rows: section.rows, responsive: true }) }}
{% elif section.empty %}
<p>{{ section.empty }}</p>
{% endif %}
{% if section.next %}<p><a href="{{ section.next }}">Next page</a></p>{% endif %}
{% endfor %}
`;

const REFERRAL_PACK = `${MACROS}
{{ backLink({ href: "/app/disputes", text: "All disputes" }) }}
<p><a href="{{ pdf }}">Download the referral pack as a PDF<span class="nhsuk-u-visually-hidden"> for the Secretary of State</span></a></p>
{% for section in sections %}
<h2>{{ section.heading }}</h2>
{% for paragraph in section.paragraphs %}<p>{{ paragraph }}</p>{% endfor %}
{% if section.items | length %}<ul>{% for item in section.items %}<li>{{ item }}</li>{% endfor %}</ul>{% endif %}
{% if section.table %}
{{ table({ caption: section.table.caption, head: section.table.head, rows: section.table.rows, responsive: true }) }}
{% endif %}
{% endfor %}
`;

export const PAGE_TEMPLATES: Readonly<Record<string, string>> = {
  'referral-pack.njk': REFERRAL_PACK,
  'home.njk': HOME,
  'table.njk': TABLE_OR_EMPTY,
  'application.njk': APPLICATION,
  'exports.njk': EXPORTS,
  'register.njk': REGISTER,
  'new-application.njk': NEW_APPLICATION,
  'sections.njk': SECTIONS,
};
