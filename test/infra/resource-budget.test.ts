import { describe, expect, it } from 'vitest';
import { synth } from './support.ts';

// CloudFormation refuses a stack of more than 500 resources (CDK's synth throws first). Keep room for a feature's
// worth of functions, so that the wall is met in review, with time to move a feature into a nested stack, and not on
// the day a route is added.
const BUDGET = 475;

describe('the stack resource budget', () => {
  it.each(['dev', 'prod'] as const)(`%s stays at most ${BUDGET} resources, under the 500 CloudFormation allows`, (stage) => {
    const resources = Object.keys(synth(stage).template.toJSON().Resources as object).length;
    expect(resources).toBeLessThanOrEqual(BUDGET);
  });
});
