/**
 * Rule configuration: the dated switches a commissioner may need to change without a release.
 * Pure data, passed into the engine as an argument; nothing here reads the environment.
 */
import type { LocalDate } from '../dates.ts';

export interface RuleConfig {
  /** A short name for the configuration, reported in Determination.ruleSet. */
  name: string;
  /**
   * Mental Health Act 2025 s46 (new s117(3A) deeming for the local authority, joint written notice to
   * end aftercare). Not in force until commencement regulations are made (R-LA-16): null means not
   * commenced. Set the date the regulations give and the engine applies the deeming to detentions
   * that begin on or after it.
   */
  mha2025S46CommencementDate: LocalDate | null;
}

export const DEFAULT_RULE_CONFIG: RuleConfig = Object.freeze({
  name: 'default',
  mha2025S46CommencementDate: null,
});
