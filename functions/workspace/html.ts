/**
 * The workspace's one page layout, on the NHS.UK design system (nhsuk-frontend's Nunjucks macros and stylesheet):
 * a skip link, the header with the service name, the signed-in person and the sign-out form (POST with the
 * session's CSRF token), an error summary when a form was refused, one main landmark with the page's h1, and the
 * footer. No script: the pages work without JavaScript. Every value is escaped by Nunjucks' autoescaping; a page
 * body is HTML rendered by `renderTemplate` (so escaped there) and marked safe only here.
 */
import type { Session } from '#domain/workspace/ports.ts';
import { nhsukFiles, nunjucksRenderer, STYLESHEET_PATH, type Renderer } from './nhsuk.ts';
import { PAGE_TEMPLATES } from './templates.ts';

export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const LAYOUT = `{% from "nhsuk/components/skip-link/macro.njk" import skipLink %}
{% from "nhsuk/components/header/macro.njk" import header %}
{% from "nhsuk/components/footer/macro.njk" import footer %}
{% from "nhsuk/components/error-summary/macro.njk" import errorSummary %}
{% if session %}
{% set signOut %}<form class="nhsuk-header__account-form" method="post" action="/app/sign-out" novalidate><input type="hidden" name="csrf" value="{{ session.csrf }}"><button class="nhsuk-header__account-button" type="submit">Sign out</button></form>{% endset %}
{% set account = { ariaLabel: "Your account", items: [
  { text: (session.name or session.userId) + " (" + session.role + ", " + session.org + ")", icon: true },
  { html: signOut }
] } %}
{% endif %}
<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="theme-color" content="#005eb8">
<meta name="robots" content="noindex,nofollow">
<title>{% if errors %}Error: {% endif %}{{ title }} - {{ service }}</title>
<link rel="stylesheet" href="{{ stylesheet }}">
{% if style %}<style>{{ style }}</style>{% endif %}
</head>
<body>
{{ skipLink({ href: "#maincontent", text: "Skip to main content" }) }}
{{ header({ service: { text: service, href: "/app" if service == "s117 workspace" else undefined }, account: account }) }}
<div class="nhsuk-width-container">
<main class="nhsuk-main-wrapper" id="maincontent">
{% if errors %}
{{ errorSummary({ titleText: "There is a problem", errorList: errors }) }}
{% endif %}
<h1>{{ title }}</h1>
{{ body | safe }}
</main>
</div>
{{ footer({ meta: { visuallyHiddenText: "Support links", items: [{ href: "/docs", text: "API reference" }] }, copyright: { text: "s117 aftercare funding" } }) }}
</body>
</html>
`;

let renderer: Renderer | undefined;

/** Renders one of the workspace's templates (templates.ts), or the package's, with autoescaping. */
export function renderTemplate(name: string, context: object): string {
  renderer ??= nunjucksRenderer(nhsukFiles(new URL(import.meta.url)), { 'layout.njk': LAYOUT, ...PAGE_TEMPLATES });
  return renderer(name, context);
}

/** An error summary entry: the message and the id of the field it is about. */
export interface FieldError {
  text: string;
  href: string;
}

/** What a page outside the workspace changes in the layout: the service's name (no link home), and inline CSS. */
export interface LayoutOptions {
  service?: string;
  style?: string;
}

export function page(
  title: string,
  body: string,
  session?: Session,
  errors: readonly FieldError[] = [],
  options: LayoutOptions = {},
): string {
  return renderTemplate('layout.njk', {
    title,
    body,
    session,
    service: options.service ?? 's117 workspace',
    style: options.style,
    stylesheet: STYLESHEET_PATH,
    errors: errors.length === 0 ? undefined : errors,
  });
}
