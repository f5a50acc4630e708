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
{% if rows | length %}
{{ table({ caption: caption, head: head, rows: rows, responsive: true }) }}
{% else %}
<p>{{ empty }}</p>
{% endif %}
{% if next %}<p><a href="{{ next }}">Next page</a></p>{% endif %}
`;

const APPLICATION = `${MACROS}
{{ backLink({ href: "/app/applications", text: "All applications" }) }}
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
};
