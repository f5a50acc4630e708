/** Every page of the workspace behind sign-in, each on its route (functions/workspace/routes.ts, with its roles). */
import { COMMISSIONING_ROLES, FINANCE_ROLES, REGISTER_READER_ROLES, type Role } from '../shared/auth.ts';
import { COMMISSIONER_PAGES } from './commissioner.ts';
import { DISPUTE_PAGES } from './disputes.ts';
import { FINANCE_PAGES } from './finance.ts';
import { LEAD_PAGES } from './lead.ts';
import { NEW_APPLICATION_PAGES } from './new-application.ts';
import { REGISTER_PAGES } from './register.ts';
import { renderTemplate } from './html.ts';
import { html, type WorkspacePage } from './pages.ts';
import { workspaceHomeRoute } from './routes.ts';
import { SESSION_TTL_SECONDS } from './session.ts';

/** The pages a role finds on its home page. */
const LINKS: readonly { href: string; text: string; hint: string; roles: readonly Role[] }[] = [
  {
    href: '/app/applications',
    text: 'Applications',
    hint: "your organisation's applications, who is waiting on whom, and answering for your body",
    roles: COMMISSIONING_ROLES,
  },
  {
    href: '/app/new-application',
    text: 'Submit an application',
    hint: 'ask the partnership to fund aftercare; interim funding starts at once',
    roles: COMMISSIONING_ROLES,
  },
  {
    href: '/app/exports',
    text: 'Finance exports',
    hint: "download a period's apportionment as CSV or XLSX, and see earlier batches",
    roles: FINANCE_ROLES,
  },
  {
    href: '/app/register',
    text: 'The s117 register',
    hint: 'people and episodes with their status today, and whose review is due',
    roles: REGISTER_READER_ROLES,
  },
  {
    href: '/app/disputes',
    text: 'Disputes',
    hint: 'running disputes, their stage, age and deadlines',
    roles: COMMISSIONING_ROLES,
  },
  {
    href: '/app/reviews',
    text: 'Reviews due and overdue',
    hint: 'whose aftercare review is overdue or coming due, from the register',
    roles: REGISTER_READER_ROLES,
  },
  {
    href: '/app/delays',
    text: 'Ready for discharge and waiting',
    hint: 'people clinically ready to leave hospital and what they wait for, longest wait first',
    roles: COMMISSIONING_ROLES,
  },
  {
    href: '/app/maturity',
    text: 'The s117 maturity matrix',
    hint: 'where the partnership sits, with interim exposure and reviews in date month by month',
    roles: REGISTER_READER_ROLES,
  },
];

const home: WorkspacePage = {
  route: workspaceHomeRoute,
  handle: async ({ session }) =>
    html(
      'Your s117 workspace',
      renderTemplate('home.njk', {
        org: session.org,
        role: session.role,
        hours: SESSION_TTL_SECONDS / 3600,
        links: LINKS.filter((l) => l.roles.includes(session.role)),
      }),
    ),
};

export const PAGES: readonly WorkspacePage[] = [
  home,
  ...COMMISSIONER_PAGES,
  ...NEW_APPLICATION_PAGES,
  ...FINANCE_PAGES,
  ...REGISTER_PAGES,
  ...DISPUTE_PAGES,
  ...LEAD_PAGES,
];
