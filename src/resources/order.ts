/**
 * Orders, found by ref_id: `GET /v2/orders?ref_ids=...`, 100 per call, only
 * for orders whose profile exists (an order cannot exist on a profile that
 * does not). Nothing about an order can change once placed.
 */
import { isPaxosApiError, PaxosOnboardError } from '../errors.js';
import type { Address, ResourceOf } from '../manifest/model.js';
import { diffWrittenFields, isPlainObject } from './field-diff.js';
import { immutableReason, toFieldChanges } from './field-changes.js';
import type { Json } from './identity-fields.js';
import { chunk, filterBatchSize, listPageSize, readEach, remoteIdOf } from './remote-reads.js';
import { SettleError, type Applied, type ApplyContext, type PlanContext, type RefreshContext, type RemoteObject, type ResourceHandler, type Settled, type StepDraft, type StrayObject, type TeardownContext, type TeardownDraft, type TornDown } from './resource-handler.js';
import { claimedKeys, isStrayKey, stray } from './teardown-reads.js';

type OrderResource = ResourceOf<'order'>;
const orderFields = ['/profile', '/market', '/side', '/type', '/price', '/base_amount', '/quote_amount', '/stop_price', '/time_in_force', '/metadata', '/identity', '/account'];
const unsettled = new Set(['PENDING_SUBMISSION', 'SUBMITTED', 'OPEN']);
const unfilled = new Set(['CANCELLED', 'REJECTED']);
/** Manifest reference fields and the order's id field each stands for. */
const idFields = [
  { field: 'profile', remote: 'profile_id', id: 'profile_id' },
  { field: 'identity', remote: 'identity_id', id: 'identity_id' },
  { field: 'account', remote: 'identity_account_id', id: 'account_id' },
] as const;

async function refresh(resources: readonly OrderResource[], context: RefreshContext): Promise<void> {
  const refIds = resources.filter((resource) => remoteIdOf(context.world, resource.fields.profile, 'profile_id') !== undefined).map((resource) => resource.fields.ref_id);
  if (refIds.length === 0) return;
  const pages = await readEach(chunk(refIds, filterBatchSize), (batch) =>
    context.client.listAll<Json>({ method: 'GET', path: '/v2/orders', query: { ref_ids: batch } }, { pageSize: listPageSize }),
  );
  const byRefId = new Map(pages.flat().map((order) => [String(order.ref_id), order]));
  for (const resource of resources) {
    const order = byRefId.get(resource.fields.ref_id);
    if (order) context.world.byAddress.set(resource.address, orderRemote(order));
  }
}

function orderRemote(record: Json): RemoteObject {
  const id = String(record.id);
  return { id, record, ids: { order_id: id, profile_id: String(record.profile_id) }, status: String(record.status), matchedBy: 'remote-key' };
}

/**
 * Paxos creates an order SUBMITTED and fills it afterwards. A MARKET order
 * fills within moments, and what a seeded world wants of it is the position:
 * it is waited for unless `await_fill: false`. A limit order may rest for
 * good: waited for only when asked.
 */
function awaitsFill(fields: OrderResource['fields']): boolean {
  return fields.await_fill ?? fields.type === 'MARKET';
}

function planStep(resource: OrderResource, context: PlanContext): StepDraft {
  const remoteKey = `ref_id=${resource.fields.ref_id}`;
  const remote = context.world.byAddress.get(resource.address);
  const awaitFill = awaitsFill(resource.fields);
  if (!remote) return { action: 'create', remoteKey, ...(awaitFill ? { then: ['wait' as const] } : {}) };
  const { ref_id: _key, await_fill: _awaitFill, ...desired } = resource.fields;
  const have: Json = { ...remote.record };
  // References compare by id: the same id shows as the manifest's address, another as the id found.
  for (const { field, remote: remoteField, id } of idFields) {
    const address = desired[field] as Address | undefined;
    const found = have[remoteField];
    have[field] = address !== undefined && found === remoteIdOf(context.world, address, id) ? address : found;
  }
  if (!isPlainObject(have.metadata)) delete have.metadata;
  const changes = toFieldChanges(diffWrittenFields(desired, have), orderFields, { resource, handler: orderHandler, showSensitive: context.showSensitive });
  const found = { remoteKey, remoteId: remote.id, ...(remote.status !== undefined ? { remoteStatus: remote.status } : {}) };
  const reason = immutableReason(changes, `order ${remote.id}`);
  if (reason !== undefined) return { ...found, action: 'blocked', changes, reason };
  if (awaitFill && remote.status !== undefined && unsettled.has(remote.status)) return { ...found, action: 'wait' };
  if (remote.status !== undefined && unfilled.has(remote.status)) {
    return { ...found, action: 'noop', warnings: [`order ${remote.id} is ${remote.status}: its ref_id is used, so it is not placed again; give it a new ref_id to place another`] };
  }
  return { ...found, action: 'noop' };
}

async function create(resource: OrderResource, context: ApplyContext): Promise<Applied> {
  const { profile, identity, account, ref_id: refId, await_fill: _awaitFill, ...rest } = resource.fields;
  const profileId = context.remoteOf(profile).ids.profile_id ?? '';
  const body: Json = { ...rest, ref_id: refId };
  if (identity !== undefined) body.identity_id = context.remoteOf(identity).ids.identity_id;
  if (account !== undefined) body.identity_account_id = context.remoteOf(account).ids.account_id;
  const ordersOf = (id: string) => `/v2/profiles/${encodeURIComponent(id)}/orders`;
  try {
    const record = await context.client.request<Json>({ method: 'POST', path: ordersOf(profileId), body, retry: 'natural-key' });
    return { remote: orderRemote(record), outcome: 'created' };
  } catch (error) {
    const existingId = isPaxosApiError(error) && error.status === 409 ? error.existingId : undefined;
    if (existingId === undefined || !isPaxosApiError(error)) throw error;
    const existing = error.problem.meta?.existing;
    const onProfile = isPlainObject(existing) && typeof existing.profile_id === 'string' ? existing.profile_id : undefined;
    const record = await readExisting(context, existingId, refId, onProfile);
    // Adopted only when it is this order: an earlier attempt of ours, or the same order placed by a concurrent run.
    if (record === undefined || record.profile_id !== profileId || record.market !== body.market || record.side !== body.side) {
      const what = record === undefined ? `order ${existingId}` : `order ${existingId} (${String(record.side)} ${String(record.market)}) on profile ${String(record.profile_id)}`;
      throw new PaxosOnboardError(
        'order.ref_id_taken',
        `${resource.address}: ref_id ${refId} already names ${what}, not this ${describe(resource)} on ${profile} (${profileId}); give the order another ref_id`,
        { cause: error },
      );
    }
    return { remote: orderRemote(record), outcome: error.conflictOutcome };
  }
}

/**
 * The order a 409 names: read on the profile the 409 gives. Without one, it
 * is looked for by ref_id across profiles, as it need not be on ours.
 */
async function readExisting(context: ApplyContext, id: string, refId: string, profileId: string | undefined): Promise<Json | undefined> {
  if (profileId !== undefined) return context.client.request<Json>({ method: 'GET', path: `/v2/profiles/${encodeURIComponent(profileId)}/orders/${encodeURIComponent(id)}` });
  const orders = await context.client.listAll<Json>({ method: 'GET', path: '/v2/orders', query: { ref_ids: [refId] } }, { pageSize: listPageSize });
  return orders.find((order) => order.id === id);
}

/**
 * `await_fill`: reads the order every poll interval until it leaves
 * PENDING_SUBMISSION/SUBMITTED/OPEN (MARKET orders usually answer FILLED at
 * once, and then nothing is read). CANCELLED or REJECTED fails it: the fill
 * the manifest waits for will not come.
 */
async function settle(resource: OrderResource, remote: RemoteObject, context: ApplyContext): Promise<Settled> {
  let record: Json = remote.record;
  const deadline = Date.now() + context.model.options.approvalTimeoutMs;
  if (unsettled.has(String(record.status))) context.phase('waiting-for-fill');
  // A MARKET order fills within moments: the first look comes soon, the next ones a poll interval apart.
  let waitMs = Math.min(context.pollIntervalMs, 100);
  while (unsettled.has(String(record.status))) {
    if (Date.now() >= deadline) {
      throw new PaxosOnboardError('order.fill_timeout', `${resource.address}: order ${remote.id} is still ${String(record.status)} after ${context.model.options.approvalTimeout}; it stays placed — run apply again to go on waiting, or set await_fill: false`);
    }
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    waitMs = context.pollIntervalMs;
    record = await context.client.request<Json>({ method: 'GET', path: `/v2/profiles/${encodeURIComponent(String(record.profile_id))}/orders/${encodeURIComponent(remote.id)}` });
  }
  const settled = orderRemote(record);
  if (unfilled.has(String(record.status))) {
    throw new SettleError('order.not_filled', `${resource.address}: order ${remote.id} was ${String(record.status)}${typeof record.status_reason === 'string' ? ` (${record.status_reason})` : ''}, not filled`, settled);
  }
  const vwap = record.volume_weighted_average_price;
  return { remote: settled, detail: `${String(record.status)} ${String(record.amount_filled ?? '')}${typeof vwap === 'string' && vwap !== '' ? ` at ${vwap}` : ''}`.trim() };
}

/** `BUY ETHUSD MARKET, spend 2000`, `SELL ETHUSD LIMIT 0.5 @ 1800`. */
function describe(resource: OrderResource): string {
  const { side, market, type, base_amount: base, quote_amount: quote, price } = resource.fields;
  const amount = base !== undefined ? ` ${base}` : quote !== undefined ? `, spend ${quote}` : '';
  return `${side} ${market} ${type}${amount}${price !== undefined ? ` @ ${price}` : ''}`;
}

/** The statuses Paxos cancels from (OPEN, SUBMITTED); a MARKET order is never cancellable. */
const cancellable = ['OPEN', 'SUBMITTED'] as const;

/**
 * Orders under the prefix that no resource declares and that can still be
 * cancelled: one listing per cancellable status across profiles (the spec
 * gives `status` one value). Filled and cancelled orders are history, not
 * orphans.
 */
async function findStrays(prefix: string, context: RefreshContext): Promise<StrayObject[]> {
  if (prefix === '') return [];
  const claimed = claimedKeys(context.model, 'order');
  const listed = await readEach([...cancellable], (status) => context.client.listAll<Json>({ method: 'GET', path: '/v2/orders', query: { status } }, { pageSize: listPageSize }));
  return listed
    .flat()
    .filter((order) => isStrayKey(order.ref_id, prefix, claimed))
    .map(orderRemote)
    .filter((remote) => planTeardown(remote).action !== 'noop')
    .map((remote) => stray('order', 'ref_id', remote));
}

function planTeardown(remote: RemoteObject): TeardownDraft {
  if (!(cancellable as readonly string[]).includes(String(remote.status))) return { action: 'noop', reason: `${String(remote.status)}: nothing to cancel` };
  if (remote.record.type === 'MARKET') return { action: 'noop', reason: 'a MARKET order cannot be cancelled; it fills or is rejected by itself' };
  return { action: 'cancel' };
}

async function teardown(remote: RemoteObject, draft: TeardownDraft, context: TeardownContext): Promise<TornDown> {
  if (draft.action !== 'cancel') return { outcome: 'kept' };
  const path = `/v2/profiles/${encodeURIComponent(String(remote.record.profile_id))}/orders/${encodeURIComponent(remote.id)}`;
  await context.client.request({ method: 'DELETE', path, retry: 'safe' });
  return { outcome: 'torn-down', detail: 'cancelled' };
}

export const orderHandler: ResourceHandler<'order'> = {
  kind: 'order',
  sensitiveFields: [],
  operations: { read: ['ListOrders'], write: ['CreateOrder', 'GetOrder'], teardown: ['CancelOrder'] },
  refresh,
  describe,
  planStep,
  create,
  settle,
  findStrays,
  planTeardown,
  teardown,
};
