/**
 * Synthesises the stack the way `cdk synth` does (the context in cdk.json), minus bundling: the
 * `aws:cdk:bundling-stacks: []` context skips esbuild and the built-in CloudFormation validation is left to
 * nag.test.ts, so a synth takes a couple of seconds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { AppManifest } from '#lib/app-manifest.ts';
import { loadStageConfig, type Stage } from '#lib/config.ts';
import { REPO_ROOT } from '#lib/constructs/lambda.ts';
import { S117Stack } from '#lib/s117-stack.ts';

export const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { app: string; context: Record<string, unknown> };

export interface Synthesised {
  app: App;
  stack: S117Stack;
  template: Template;
}

export function synth(stage: Stage = 'dev', manifest?: AppManifest): Synthesised {
  // Without the built-in CloudFormation schema validation (a WASM engine: about 5 of a synth's 7 seconds);
  // nag.test.ts synthesises each stage with it on, as `cdk synth` does.
  const app = new App({ builtinCloudFormationValidation: false, context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new S117Stack(app, `S117-${stage}`, { config: loadStageConfig(stage), ...(manifest === undefined ? {} : { manifest }) });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The logical id CloudFormation knows a construct's resource by. */
export function logicalId(construct: IConstruct): string {
  const element = construct.node.defaultChild ?? construct;
  return Stack.of(construct).getLogicalId(element as CfnElement);
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every statement of every IAM policy attached to the role with this logical id. */
export function roleStatements(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles) === JSON.stringify([{ Ref: roleLogicalId }]))
    .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
}

export const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
