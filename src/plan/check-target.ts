/**
 * The environment guard (DESIGN.md "Safety"): the manifest's `environment:`
 * must allow the chosen target, or nothing is sent. Checked before the first
 * call of a plan or an apply.
 */
import { PaxosOnboardError } from '../errors.js';
import type { Environment, Model } from '../manifest/model.js';
import type { Target } from '../paxos/types.js';

/** Where a manifest written for each environment may go. A sandbox manifest may rehearse on the local emulator. */
const allowedTargets: Readonly<Record<Environment, readonly Environment[]>> = {
  production: ['production'],
  sandbox: ['sandbox', 'local'],
  local: ['local'],
};

/** `--target` values that choose each environment, for the advice. */
const targetFlag: Readonly<Record<Environment, string>> = {
  production: '--target production',
  sandbox: '--target sandbox',
  local: '--target local',
};

/** Throws `target.environment_mismatch` (nothing sent) when the manifest's environment does not allow the target. */
export function checkTarget(model: Pick<Model, 'environment'>, target: Pick<Target, 'environment' | 'description'>): void {
  const allowed = allowedTargets[model.environment];
  if (allowed.includes(target.environment)) return;
  const choices = allowed.map((environment) => targetFlag[environment]).join(' or ');
  throw new PaxosOnboardError(
    'target.environment_mismatch',
    `the manifest says environment: ${model.environment}, but the chosen target is ${target.environment} (${target.description}); nothing was sent. ` +
      `Choose a target the manifest allows (${choices}), or change environment: in the manifest if it really is meant for ${target.environment}`,
  );
}
