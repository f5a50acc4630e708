/**
 * The route tables of docs/api.md, generated from the route table (functions/routes.ts) so the document cannot drift
 * from what is served: `npm run docs:routes` rewrites the block between the markers, and a test fails when the block
 * is not what this renders.
 */
import { ROLES } from '../shared/auth.ts';
import type { RouteSpec } from '../shared/route-spec.ts';

export const START_MARKER = '<!-- route-tables:start (generated from functions/routes.ts by `npm run docs:routes`; do not edit) -->';
export const END_MARKER = '<!-- route-tables:end -->';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** Who may call a route: its roles behind a token, or how a route without a token is reached. */
export function who(route: RouteSpec): string {
  const roles = route.roles ?? [];
  const named = roles.length === ROLES.length ? 'any role' : roles.join(', ');
  if (route.auth === 'required') return named;
  return roles.length === 0 ? 'no token' : `no token; a session of ${named}`;
}

function table(routes: readonly RouteSpec[]): string[] {
  return [
    '| Route | Who | What |',
    '|---|---|---|',
    ...routes.map((r) => `| \`${r.method} ${r.path}\` | ${cell(who(r))} | ${cell(r.summary)} |`),
  ];
}

/** The generated block: the API routes, then the pages, each in table order, between the markers. */
export function routeTables(routes: readonly RouteSpec[]): string {
  return [
    START_MARKER,
    '',
    `### API routes (${routes.filter((r) => r.kind === 'api').length}, in \`GET /v1/openapi.json\`)`,
    '',
    ...table(routes.filter((r) => r.kind === 'api')),
    '',
    `### Pages and other non-API routes (${routes.filter((r) => r.kind === 'page').length})`,
    '',
    ...table(routes.filter((r) => r.kind === 'page')),
    '',
    END_MARKER,
  ].join('\n');
}

/** The document with its generated block replaced by `block`; an error when the markers are missing or out of order. */
export function withRouteTables(document: string, block: string): string {
  const start = document.indexOf(START_MARKER);
  const end = document.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`docs/api.md needs the markers ${START_MARKER} … ${END_MARKER}`);
  return `${document.slice(0, start)}${block}${document.slice(end + END_MARKER.length)}`;
}
