/**
 * Money in: `POST /v2/sandbox/profiles/{profile_id}/deposit`, and the
 * transfers it leaves: `GET /v2/transfer/transfers` (filters, cursor) and
 * `GET /v2/transfer/transfers/{id}`. A deposit shows in both only once it is
 * listed (`domain/transfers.ts`).
 */
import { TransferStatus, TransferType } from '../../domain/paxos-enums.generated.js';
import { problems, type Route, type RouteContext, type Ticker } from '../framework.js';
import { paginate, readEnumList, readList, readTimeRange } from '../domain/list-query.js';
import { depositToProfile, findTransfer, isListed, renderTransfer, transferTicker, type DepositInput } from '../domain/transfers.js';

function postDeposit(context: RouteContext) {
  const transfer = depositToProfile(context, context.params.profile_id ?? '', context.body as DepositInput);
  return { body: { activity_id: transfer.activity_id ?? transfer.id } };
}

function readIds(query: URLSearchParams, name: string): string[] {
  const values = readList(query, name);
  if (values.length > 100) throw problems.invalidField(name, 'at most 100 values');
  return values;
}

function listTransfers({ state, query }: RouteContext) {
  const filters = {
    profile_id: readIds(query, 'profile_ids'),
    identity_id: readIds(query, 'identity_ids'),
    account_id: readIds(query, 'account_ids'),
    id: readIds(query, 'ids'),
    ref_id: readIds(query, 'ref_ids'),
    type: readEnumList(query, 'type', TransferType),
    status: readEnumList(query, 'statuses', TransferStatus),
  } as const;
  const created = readTimeRange(query, 'created_at');
  const updated = readTimeRange(query, 'updated_at');
  const page = paginate(
    Object.values(state.transfers),
    query,
    (transfer) =>
      isListed(transfer) &&
      Object.entries(filters).every(([field, wanted]) => wanted.length === 0 || wanted.includes(String(transfer[field as keyof typeof transfer] ?? ''))) &&
      created(transfer.created_at) &&
      updated(transfer.updated_at),
    { defaultOrder: 'DESC', defaultLimit: 100, maxLimit: 1000 },
  );
  return { body: { ...page, items: page.items.map(renderTransfer) } };
}

function getTransfer({ state, params }: RouteContext) {
  return { body: renderTransfer(findTransfer(state, params.id ?? '')) };
}

export const transferRoutes: Route[] = [
  { method: 'POST', path: '/v2/sandbox/profiles/:profile_id/deposit', operationId: 'CreateSandboxDeposit', handler: postDeposit },
  { method: 'GET', path: '/v2/transfer/transfers', operationId: 'ListTransfers', handler: listTransfers },
  { method: 'GET', path: '/v2/transfer/transfers/:id', operationId: 'GetTransfer', handler: getTransfer },
];

/** Lists and credits deposits whose listing delay has passed. */
export const transferTickers: Ticker[] = [transferTicker];
