/**
 * What a workspace page is: a route of the one route table (functions/workspace/routes.ts: method, path template and
 * roles) and the function that answers it once workspace.ts has checked the session, the role and, for a POST, the
 * CSRF token. A page answers HTML inside the layout, a redirect (after a POST), or a file (a download).
 */
import type { Caller } from '../shared/auth.ts';
import type { RouteSpec } from '../shared/route-spec.ts';
import type { FieldError } from './html.ts';
import type { Session } from '#domain/workspace/ports.ts';
import type { WorkspaceDeps, WorkspaceRequest } from './workspace.ts';

export interface PageContext {
  session: Session;
  /** The signed-in person as the API's use cases take them. */
  caller: Caller;
  request: WorkspaceRequest;
  /** Path parameters by name (`{id}`), each at most 100 characters of `[A-Za-z0-9._-]`. */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  deps: WorkspaceDeps;
}

export type PageResult =
  | { kind: 'html'; title: string; body: string; statusCode?: number; errors?: readonly FieldError[] }
  | { kind: 'redirect'; location: string }
  | { kind: 'file'; contentType: string; fileName: string; body: Buffer };

export interface WorkspacePage {
  route: RouteSpec;
  handle(context: PageContext): Promise<PageResult>;
}

const PARAM = '([A-Za-z0-9._-]{1,100})';

/** The path parameters of `path` under `template` (`/app/applications/{id}`), or null when it does not match. */
export function matchPath(template: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return PARAM;
  });
  const match = new RegExp(`^${source}$`).exec(path);
  if (match === null) return null;
  return Object.fromEntries(names.map((name, i) => [name, match[i + 1] ?? '']));
}

export const html = (title: string, body: string, extra: { statusCode?: number; errors?: readonly FieldError[] } = {}): PageResult => ({
  kind: 'html',
  title,
  body,
  ...extra,
});
