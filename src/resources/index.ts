/**
 * The handler of each resource kind, as a table: the planner and the executor
 * reach a kind only through `handlerFor(kind)` and never name one. Adding a
 * kind is adding its module and one line here.
 */
import type { ResourceKind } from '../manifest/kinds.js';
import { accountHandler } from './account.js';
import { depositHandler } from './deposit.js';
import { institutionHandler } from './institution.js';
import { orderHandler } from './order.js';
import { personHandler } from './person.js';
import { profileHandler } from './profile.js';
import type { ResourceHandler } from './resource-handler.js';

const handlers: { readonly [K in ResourceKind]: ResourceHandler<K> } = {
  person: personHandler,
  institution: institutionHandler,
  account: accountHandler,
  profile: profileHandler,
  deposit: depositHandler,
  order: orderHandler,
};

export function handlerFor<K extends ResourceKind>(kind: K): ResourceHandler<K> {
  return handlers[kind];
}

export type { Applied, ApplyContext, PlanContext, RefreshContext, RemoteObject, RemoteWorld, ResourceHandler, Settled, StepDraft } from './resource-handler.js';
