/**
 * Whether an agreed funding application must go to the joint panel before it is recorded, and the
 * proposal the panel sees: the agreed split of the weekly s117 cost from the requested start date.
 */
import { weeklyS117CostOn, type Application } from '../applications/application.ts';
import { formatLongDate } from '../dates.ts';
import { agreedArrangement } from '../funding/funding-decisions.ts';
import { formatPounds, largestRemainder, type Pence } from '../money.ts';
import type { Partnership } from '../partnership.ts';
import { DEFAULT_PANEL_TIMING, needsPanel, panelTimeoutSeconds, type PanelProposal, type Proposer } from './panel.ts';

export interface ApplicationPanelGate {
  needsPanel: boolean;
  /** TimeoutSeconds for the callback: the partnership's deadline and escalation, plus a day. */
  panelTimeoutSeconds: number;
  panelProposal: PanelProposal;
  proposedBy: Proposer;
}

/** For an application both bodies accepted: the panel gate (above the partnership's application threshold). */
export function applicationPanelGate(app: Application, partnership: Partnership, at: string): ApplicationPanelGate {
  const weekly: Pence = weeklyS117CostOn(app.carePlan, app.requestedStartDate);
  const arrangement = agreedArrangement(app, partnership, 'proposal', at);
  const amounts = largestRemainder(
    weekly,
    arrangement.shares.map((s) => s.basisPoints),
  );
  const split = arrangement.shares.map((s) => ({ body: s.body, party: s.party, basisPoints: s.basisPoints }));
  const panelProposal: PanelProposal = {
    summary:
      `Agree s117 funding of ${formatPounds(weekly)} a week from ${formatLongDate(app.requestedStartDate)}, ` +
      `shared ${arrangement.shares.map((s, i) => `${s.body} ${s.basisPoints / 100}% (${formatPounds(amounts[i] ?? 0)})`).join(', ')}.`,
    weeklyCostPence: weekly,
    split,
    startDate: app.requestedStartDate,
    details: [arrangement.basis],
  };
  return {
    needsPanel: needsPanel(partnership.panel, 'application', weekly),
    panelTimeoutSeconds: panelTimeoutSeconds(partnership.panel?.timing ?? DEFAULT_PANEL_TIMING),
    panelProposal,
    proposedBy: {
      userId: app.submittedBy.userId,
      org: app.submittedBy.org,
      ...(app.submittedBy.email === undefined ? {} : { email: app.submittedBy.email }),
    },
  };
}
