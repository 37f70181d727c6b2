import type { Address, Model } from '../manifest/model.js';

/** Everything `address` depends on, directly or not. */
export function transitiveDependencies(model: Model, address: Address): Set<Address> {
  const seen = new Set<Address>();
  const visit = (from: Address) => {
    for (const dependency of model.resources.get(from)?.dependsOn ?? []) {
      if (seen.has(dependency)) continue;
      seen.add(dependency);
      visit(dependency);
    }
  };
  visit(address);
  return seen;
}
