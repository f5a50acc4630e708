/**
 * The contract of the `request-panel-decision` callback task, for any workflow that needs a panel:
 *
 * ```json
 * "RequestPanelDecision": {
 *   "Type": "Task",
 *   "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
 *   "Parameters": { "FunctionName": "${RequestPanelDecisionArn}", "Payload": {
 *     "applicationId.$": "$.applicationId", "subject": "dispute-outcome",
 *     "proposal.$": "$.proposal", "proposedBy.$": "$.proposedBy", "taskToken.$": "$$.Task.Token" } },
 *   "TimeoutSecondsPath": "$.panelTimeoutSeconds",
 *   "ResultPath": "$.panel",
 *   "Catch": [{ "ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": "..." }]
 * }
 * ```
 * A register episode is asked about with `"episodeId.$"` in place of `"applicationId.$"` (subject 'ending').
 * The task resumes with a PanelDecisionResult. `panelTimeoutSeconds(timing)` (panel.ts) gives the
 * timeout: the request answers 'no-decision' by itself before it, so the Catch is a backstop.
 */
import type { Instant } from '../applications/application.ts';
import type { OrgCode } from '../facts.ts';
import type { PanelOutcome, PanelProposal, PanelSide, PanelSubject, Proposer, VoteDecision } from './panel.ts';

/**
 * What the panel decides about: a funding application (`applicationId`), or a register episode (`episodeId`,
 * for subject 'ending': a recommendation to end aftercare relates to the episode, not to an application).
 * Exactly one of the two.
 */
export type PanelCase = { applicationId: string; episodeId?: never } | { episodeId: string; applicationId?: never };

/** The Payload the workflow sends (Parameters.Payload of the callback task). */
export type RequestPanelDecisionPayload = PanelCase & PanelPayloadBody;

export interface PanelPayloadBody {
  subject: PanelSubject;
  proposal: PanelProposal;
  /** Who made the proposal (four-eyes: they cannot approve it). Omitted for system proposals. */
  proposedBy?: Proposer;
  /** `$$.Task.Token`: kept on the server, never in a link, a mail or a log. */
  taskToken: string;
}

/** What the Lambda itself returns (the task then waits for the panel). */
export interface RequestPanelDecisionAck {
  panelRequestId: string;
  invited: number;
}

export interface PanelVoteView {
  memberId: string;
  name: string;
  organisation: OrgCode;
  side: PanelSide;
  decision: VoteDecision;
  reason?: string;
  at: Instant;
  /** A deputy's vote: the member whose seat it fills. */
  onBehalfOf?: string;
}

/** The output the callback task resumes with (SendTaskSuccess). A rejection is a business outcome, not a failure. */
export interface PanelDecisionResult {
  panelRequestId: string;
  subject: PanelSubject;
  /** 'no-decision': the deadline and the escalation period passed without a quorum; the caller keeps care going. */
  outcome: PanelOutcome;
  /** The votes that counted, in time order. */
  votes: PanelVoteView[];
  decidedAt: Instant;
  /** Plain-English reasons for the outcome. */
  reasons: string[];
}
