/**
 * The workspace pages' Nunjucks templates, by name (html.ts puts them ahead of nhsuk-frontend's on the search path).
 * They use the package's macros; Nunjucks autoescapes every value they are given.
 */
export const PAGE_TEMPLATES: Readonly<Record<string, string>> = {};
