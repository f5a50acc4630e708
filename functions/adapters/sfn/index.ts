/**
 * The Step Functions half of the composition root: the workflow port over one SFN client. Importing this module
 * loads `@aws-sdk/client-sfn`, so only handlers that start executions or answer task tokens import it
 * (AWS_ENDPOINT_URL_SFN locally).
 */
import { sfnSdk, type SFNClient } from './sdk.ts';
import { SfnWorkflow } from './workflow.ts';

export interface SfnAdapterEnv {
  region?: string;
}

export interface SfnAdapters {
  workflow: SfnWorkflow;
  clients: { sfn: SFNClient };
}

export function createSfnAdapters(env: SfnAdapterEnv = {}): SfnAdapters {
  const sfn = new (sfnSdk().SFNClient)(env.region === undefined ? {} : { region: env.region });
  return { workflow: new SfnWorkflow(sfn), clients: { sfn } };
}
