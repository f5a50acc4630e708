/**
 * The workspace's page shell: a skip link, one main landmark, the signed-in person and the sign-out form
 * (POST with the session's CSRF token). Every interpolated value is escaped.
 */
import type { Session } from '#domain/workspace/ports.ts';

export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const STYLE = `body{font-family:Arial,sans-serif;margin:0;color:#212b32;background:#f0f4f5;line-height:1.5}
header{background:#005eb8;color:#fff;padding:1rem 2rem}header a{color:#fff}main{padding:1rem 2rem;max-width:60rem}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:#ffeb3b;color:#212b32;padding:.5rem}
a:focus,button:focus{outline:4px solid #ffeb3b;box-shadow:0 4px 0 #212b32}
button{background:#007f3b;color:#fff;border:0;padding:.5rem 1rem;font-size:1rem;cursor:pointer}`;

export function page(title: string, body: string, session?: Session): string {
  const who =
    session === undefined
      ? ''
      : `<p>Signed in as ${escapeHtml(session.name ?? session.userId)} (${escapeHtml(session.role)}, ${escapeHtml(session.org)})</p>
<form method="post" action="/app/sign-out"><input type="hidden" name="csrf" value="${escapeHtml(session.csrf)}"><button type="submit">Sign out</button></form>`;
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - s117 workspace</title><style>${STYLE}</style></head>
<body><a class="skip" href="#main">Skip to main content</a>
<header><p><a href="/app">s117 workspace</a></p>${who}</header>
<main id="main"><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>
`;
}
