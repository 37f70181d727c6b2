/**
 * Order routes: create, list, get and cancel under `/v2/profiles/{profile_id}/orders`,
 * and `GET /v2/orders` across every profile.
 */
import { Market, OrderStatus } from '../../domain/paxos-enums.generated.js';
import type { Route, RouteContext, Ticker } from '../framework.js';
import { paginate, parseTime, readEnum, readList } from '../domain/list-query.js';
import type { OrderInput } from '../domain/order-rules.js';
import { cancelOrder, createOrder, findOrder, orderTicker, renderOrder } from '../domain/orders.js';
import { findProfile } from '../domain/profiles.js';
import type { OrderRecord } from '../domain/records.js';

/** The filters both list endpoints share: `market`, `status`, `ref_ids`, `order_time.begin|end` (inclusive). */
function readOrderFilter(query: URLSearchParams): (order: OrderRecord) => boolean {
  const market = readEnum(query, 'market', Market);
  const status = readEnum(query, 'status', OrderStatus);
  const refIds = readList(query, 'ref_ids');
  const beginText = query.get('order_time.begin');
  const endText = query.get('order_time.end');
  const begin = beginText ? parseTime(beginText, 'order_time.begin') : undefined;
  const end = endText ? parseTime(endText, 'order_time.end') : undefined;
  return (order) => {
    const at = Date.parse(order.created_at);
    return (
      (!market || order.market === market) &&
      (!status || order.status === status) &&
      (refIds.length === 0 || (order.ref_id !== undefined && refIds.includes(order.ref_id))) &&
      (begin === undefined || at >= begin) &&
      (end === undefined || at <= end)
    );
  };
}

function listProfileOrders(context: RouteContext) {
  const profile = findProfile(context, context.params.profile_id ?? '');
  const keep = readOrderFilter(context.query);
  const page = paginate(Object.values(context.state.orders), context.query, (order) => order.profile_id === profile.id && keep(order), { defaultOrder: 'DESC' });
  return { body: { ...page, items: page.items.map(renderOrder) } };
}

function listAllOrders({ state, query }: RouteContext) {
  const keep = readOrderFilter(query);
  const profileId = query.get('profile_id');
  const accountId = query.get('account_id');
  const page = paginate(
    Object.values(state.orders),
    query,
    (order) =>
      keep(order) &&
      (!profileId || order.profile_id === profileId) &&
      (!accountId || order.identity_account_id === accountId || state.profiles[order.profile_id]?.account_id === accountId),
    { defaultOrder: 'DESC' },
  );
  return { body: { ...page, items: page.items.map(renderOrder) } };
}

function postOrder(context: RouteContext) {
  return { body: renderOrder(createOrder(context, context.params.profile_id ?? '', context.body as OrderInput)) };
}

function getOrder(context: RouteContext) {
  const profile = findProfile(context, context.params.profile_id ?? '');
  return { body: renderOrder(findOrder(context.state, profile.id, context.params.id ?? '')) };
}

function deleteOrder(context: RouteContext) {
  cancelOrder(context, context.params.profile_id ?? '', context.params.id ?? '');
  return { body: {} };
}

export const orderRoutes: Route[] = [
  { method: 'POST', path: '/v2/profiles/:profile_id/orders', operationId: 'CreateOrder', handler: postOrder },
  { method: 'GET', path: '/v2/profiles/:profile_id/orders', operationId: 'ListProfileOrders', handler: listProfileOrders },
  { method: 'GET', path: '/v2/profiles/:profile_id/orders/:id', operationId: 'GetOrder', handler: getOrder },
  { method: 'DELETE', path: '/v2/profiles/:profile_id/orders/:id', operationId: 'CancelOrder', handler: deleteOrder },
  { method: 'GET', path: '/v2/orders', operationId: 'ListOrders', handler: listAllOrders },
];

/** Works SUBMITTED and OPEN orders as time and prices move. */
export const orderTickers: Ticker[] = [orderTicker];
