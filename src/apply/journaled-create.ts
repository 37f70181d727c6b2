/**
 * Creates of kinds with no remote key (deposits), exactly once: an intent is
 * journaled before the call and closed after it. An intent a crash left open
 * is reconciled (`handler.reconcile`) before anything is sent again; a call
 * whose answer was lost (`PaxosAmbiguousError`) is reconciled, and never sent
 * again in the same run: a write not listed yet may still land, so its intent
 * stays open for the next run to reconcile first.
 *
 * Creates of one group (the same dependencies: deposits of one profile) run
 * one at a time, so two identical deposits reconciling at once cannot both
 * take the same transfer.
 */
import { PaxosAmbiguousError, PaxosOnboardError } from '../errors.js';
import type { ResourceKind } from '../manifest/kinds.js';
import type { ResourceOf } from '../manifest/model.js';
import { canonicalJson, sha256Hex } from '../plan/canonical-json.js';
import type { PlanStep } from '../plan/plan-types.js';
import { pollUntil } from '../resources/poll-until.js';
import type { Applied, ApplyContext, RemoteObject, ResourceHandler } from '../resources/resource-handler.js';
import type { Journal, JournalIntent } from './journal.js';

/** How far before an intent's time a landed create may be stamped: the two clocks need not agree. */
const clockSkewMs = 60_000;
/** The least time between two reads of the listing while a lost answer is looked for. */
const minLookIntervalMs = 250;

type AnyHandler = ResourceHandler<ResourceKind>;
type AnyResource = ResourceOf<ResourceKind>;

export interface JournaledCreate {
  (step: PlanStep, resource: AnyResource, handler: AnyHandler, context: ApplyContext): Promise<Applied>;
  /** Closes intents left open for a resource the plan found already made (a crash after its call landed). */
  resolveOpen(step: PlanStep, resource: AnyResource, found: RemoteObject, context: ApplyContext): Promise<void>;
}

export function createJournaledCreate(journal: Journal): JournaledCreate {
  const queues = new Map<string, Promise<unknown>>();
  const oneAtATime = <T>(group: string, task: () => Promise<T>): Promise<T> => {
    const previous = queues.get(group) ?? Promise.resolve();
    const next = previous.then(task, task);
    queues.set(group, next.catch(() => undefined));
    return next;
  };

  const reconcile = async (resource: AnyResource, handler: AnyHandler, context: ApplyContext, since: string): Promise<RemoteObject | undefined> => {
    context.phase('reconciling');
    return handler.reconcile?.(resource, new Date(Date.parse(since) - clockSkewMs), context);
  };
  /**
   * Right after a lost answer the listing may lag the write: it is read again
   * until the write shows or the listing's lag bound has passed since the
   * intent, after which absence means the write never landed.
   */
  const reconcileSoon = async (resource: AnyResource, handler: AnyHandler, context: ApplyContext, since: string): Promise<RemoteObject | undefined> => {
    return pollUntil(() => reconcile(resource, handler, context, since), Date.parse(since) + context.listingLagMs, Math.max(context.pollIntervalMs, minLookIntervalMs));
  };

  const create = (async (step, resource, handler, context) =>
    oneAtATime([...resource.dependsOn].sort().join(' '), async () => {
      const request = requestDigest(resource, context);
      const open = journal.openIntents(step.address, request);
      if (open.length > 0) {
        // An intent younger than the listing's lag is not proven absent by one look: looked for until the bound has passed.
        const found = await reconcileSoon(resource, handler, context, earliest(open));
        await journal.close(open, found?.id ?? 'absent');
        if (found) return { remote: found, outcome: 'adopted' } satisfies Applied;
      }
      const intent = await journal.writeIntent(step.address, request);
      try {
        const applied = await handler.create(resource, context);
        await journal.close([intent], applied.remote.id);
        return applied;
      } catch (error) {
        if (!(error instanceof PaxosAmbiguousError)) {
          // A clear answer: the call did not land.
          await journal.close([intent], 'absent');
          throw error;
        }
        const found = await reconcileSoon(resource, handler, context, intent.at);
        if (found) {
          await journal.close([intent], found.id);
          return { remote: found, outcome: 'created' } satisfies Applied;
        }
        // A write without a key is never sent twice in one run: the intent stays open and the next run reconciles it before sending.
        throw new PaxosOnboardError(
          'apply.unconfirmed_write',
          `${step.address}: the answer to its create was lost (${describeLoss(error)}) and what it made is not listed; it is not sent again in this run. Run apply again: what it made is looked for again (the ledger, the listing, the open intent in ${journal.path}) before anything is sent`,
          { cause: error },
        );
      }
    })) as JournaledCreate;

  create.resolveOpen = async (step, resource, found, context) => {
    const open = journal.openIntents(step.address, requestDigest(resource, context));
    if (open.length > 0) await journal.close(open, found.id);
  };
  return create;
}

/** What was asked, so an intent matches only the same values against the same remote objects. */
function requestDigest(resource: AnyResource, context: ApplyContext): string {
  const dependencies = [...resource.dependsOn].sort().map((address) => [address, context.remoteOf(address).id]);
  return sha256Hex(canonicalJson({ fields: resource.fields, dependencies }));
}

function earliest(intents: readonly JournalIntent[]): string {
  return intents.map((intent) => intent.at).sort()[0] ?? new Date().toISOString();
}

/** `503`, `connection reset`: how the answer was lost, for the message. */
function describeLoss(error: PaxosAmbiguousError): string {
  return error.failure ?? 'no answer';
}
