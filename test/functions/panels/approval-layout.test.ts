/**
 * The approval pages on the NHS.UK design system (issue 16): the workspace's layout round the case, without the
 * workspace's sign-in (a panel member comes by the emailed link), kept out of search engines, no script.
 */
import { describe, expect, it } from 'vitest';
import { gonePage, layout, notFoundPage } from '#functions/panels/approval-html.ts';

describe('the approval pages’ layout', () => {
  it('is the NHS.UK layout: skip link, header with the panel’s name, the stylesheet, one h1 in main, the footer', () => {
    const html = layout('Joint funding panel: your decision', '<p>The case</p>');
    expect(html).toMatch(/<a class="nhsuk-skip-link"[^>]*href="#maincontent">\s*Skip to main content\s*<\/a>/);
    expect(html).toContain('<link rel="stylesheet" href="/app/assets/nhsuk-frontend.min.css">');
    expect(html).toMatch(/<header class="nhsuk-header"/);
    expect(html).toContain('<span class="nhsuk-header__service-name">Joint funding panel</span>');
    expect(html).toContain('<main class="nhsuk-main-wrapper" id="maincontent">');
    expect(html).toContain('<h1>Joint funding panel: your decision</h1>');
    expect(html).toContain('<div class="s117-panel"><p>The case</p></div>');
    expect(html).toContain('<footer class="nhsuk-footer"');
    expect(html).toContain('<meta name="robots" content="noindex,nofollow">');
    expect(html).toContain('<title>Joint funding panel: your decision - Joint funding panel</title>');
  });

  it('offers no sign-out, no link into the workspace from the header, and no script', () => {
    const html = notFoundPage();
    expect(html).not.toContain('Sign out');
    expect(html).not.toMatch(/<header[\s\S]*href="\/app"[\s\S]*<\/header>/);
    expect(html).not.toMatch(/<script/i);
  });

  it('escapes what it is given, as before', () => {
    expect(layout('<b>t</b>', '')).toContain('<h1>&lt;b&gt;t&lt;/b&gt;</h1>');
    expect(gonePage('expired')).toContain('This link has expired');
  });
});
