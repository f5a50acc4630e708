/** Disputes and settlement (issue 5): the dispute workflow, its steps and the /v1 dispute routes. */
import type { FeatureManifest, FunctionDefinition } from '../app-manifest.ts';
import { commonEnvironment, readDirectory, readOnly, readWrite } from './common.ts';

/** The functions of statemachines/dispute.asl.json, by the substitution that names each (request-panel-decision is the panels feature's). */
export const disputeTasks = {
  OpenDisputeArn: 'open-dispute',
  RequestStageOutcomeArn: 'request-stage-outcome',
  AdvanceDisputeArn: 'advance-dispute',
  ProduceReferralPackArn: 'produce-referral-pack',
  SettleDisputeArn: 'settle-dispute',
  RequestPanelDecisionArn: 'request-panel-decision',
} as const;

const fn = (name: string, definition: Omit<FunctionDefinition, 'name' | 'handler'>, timeoutSeconds: number): FunctionDefinition => ({
  name,
  handler: `functions/disputes/${name}.handler.ts`,
  environment: commonEnvironment,
  timeoutSeconds,
  ...definition,
});

const step = { tables: [readDirectory, readWrite('APP#*', 'PERSON#*')], sendEmail: true };

export const disputes: FeatureManifest = {
  functions: [
    fn('open-dispute', { permissions: step }, 30),
    fn('request-stage-outcome', { permissions: { tables: [readWrite('APP#*')], taskResponse: ['dispute'] } }, 30),
    fn('advance-dispute', { permissions: step }, 30),
    fn('produce-referral-pack', { permissions: step }, 60),
    fn('settle-dispute', { permissions: step }, 60),
    fn('get-dispute', { permissions: { tables: [readOnly('APP#*')] } }, 10),
    fn(
      'record-dispute-outcome',
      { permissions: { tables: [readDirectory, readWrite('APP#*', 'PERSON#*')], taskResponse: ['dispute'] } },
      10,
    ),
    // The pack as a PDF is laid out by pdfkit, which reads its fonts' metrics from its own package: installed, not bundled.
    fn('get-referral-pack', { nodeModules: ['pdfkit'], permissions: { tables: [readOnly('APP#*')] }, memoryMb: 1024 }, 10),
  ],
  stateMachines: [
    {
      name: 'dispute',
      definitionFile: 'statemachines/dispute.asl.json',
      substitutions: Object.fromEntries(Object.entries(disputeTasks).map(([placeholder, name]) => [placeholder, `function:${name}`])),
    },
  ],
};
