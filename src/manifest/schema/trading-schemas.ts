/**
 * Accounts, standalone profiles, sandbox deposits and orders, with the order
 * rules (which amount each order type takes) from src/domain/paxos-rules.ts.
 */
import type { OrderType } from '../../domain/paxos-enums.generated.js';
import { limitPricedOrderTypes } from '../../domain/paxos-rules.js';
import { listFiatAssets } from './enum-definitions.js';
import {
  buildAddressPattern,
  describeBoolean,
  describeMetadata,
  describeObject,
  describeResource,
  describeText,
  markRule,
  referTo,
  requireWhen,
  whereFieldIn,
  type SchemaNode,
} from './schema-helpers.js';

const identityAddress = (description: string): SchemaNode =>
  describeText(description, { pattern: buildAddressPattern(['person', 'institution']) });
const profileAddress = (description: string): SchemaNode =>
  describeText(description, { pattern: buildAddressPattern(['account', 'profile']) });

/** Order types that trigger at a stop price. */
const stopOrderTypes = ['STOP_MARKET', 'STOP_LIMIT'] as const satisfies readonly OrderType[];

/** A decimal amount that must be more than zero. */
const amount = (description: string): SchemaNode => ({ $ref: '#/$defs/positiveDecimalString', description });

/** `$defs` entries for amounts: Paxos sends them as strings, and so must the manifest. */
export function buildAmountDefinitions(decimalPattern: string): Record<string, SchemaNode> {
  return {
    decimalString: {
      type: 'string',
      description: 'A decimal number written as a quoted string ("10000", "0.5"): no sign, no exponent.',
      pattern: decimalPattern,
    },
    // No `$ref` to decimalString: a def without refs is inlined, keeping error paths rooted.
    // Only the "> 0" part is the rule: a YAML number or a malformed amount stays a decimal_string problem.
    positiveDecimalString: {
      type: 'string',
      description: 'A decimal string greater than zero.',
      pattern: decimalPattern,
      allOf: [markRule('amount.positive', { not: { pattern: '^0+(\\.0+)?$' } })],
    },
  };
}

/** `$defs.account`. */
export function buildAccountSchema(): SchemaNode {
  return describeResource(
    'An account of an identity; with `profile: true` it gets its own profile, addressable as account.<key>.',
    {
      identity: identityAddress('The primary identity associated with the account: person.<key> or institution.<key>.'),
      ref_id: describeText(
        'A user-facing ID to prevent duplicate account creation. Unique for all accounts created by the same API user. Default: <ref_id_prefix>account-<key>.',
        { minLength: 1 },
      ),
      description: describeText('A free-text description of the account.'),
      metadata: describeMetadata('API User-facing metadata.'),
      type: referTo('AccountType', 'Account type; BROKERAGE for a crypto brokerage account.'),
      members: {
        type: 'array',
        description: 'Additional Identities with varying types of access to this account.',
        items: describeObject(
          'An identity with access to the account.',
          {
            identity: identityAddress('Address of the member identity: person.<key> or institution.<key>.'),
            roles: {
              type: 'array',
              description: 'Roles of the member on the account.',
              minItems: 1,
              uniqueItems: true,
              items: { $ref: '#/$defs/AccountMemberAccountRoleType' },
            },
          },
          { required: ['identity', 'roles'] },
        ),
      },
      profile: describeBoolean(
        'Create a new profile for this account (create_profile), to track balances at the Profile level. Default false.',
      ),
    },
    { required: ['identity'] },
  );
}

/** `$defs.profile`. */
export function buildProfileSchema(): SchemaNode {
  return describeResource('A standalone NORMAL profile, e.g. an omnibus book.', {
    nickname: describeText('The display name of the profile. Must be unique. Default: <ref_id_prefix>profile-<key>.', {
      minLength: 1,
    }),
    description: describeText('The description of the created profile.'),
  });
}

/** `$defs.deposit`. */
export function buildDepositSchema(): SchemaNode {
  return describeResource(
    'Sandbox test funds deposited into a profile (never applied in production).',
    {
      profile: profileAddress('The profile to fund: account.<key> (with profile: true) or profile.<key>.'),
      asset: referTo('Asset', 'The kind of asset to deposit.'),
      amount: amount('The amount to deposit, as a quoted decimal string ("10000").'),
      crypto_network: referTo('CryptoNetwork', 'Network of a crypto deposit; fiat deposits omit it.'),
    },
    {
      required: ['profile', 'asset', 'amount'],
      rules: [
        requireWhen('deposit.fiat_network', whereFieldIn('asset', listFiatAssets()), {
          properties: { crypto_network: false },
        }),
      ],
    },
  );
}

/** `$defs.order`. */
export function buildOrderSchema(): SchemaNode {
  const marketSide = (side: string) => ({
    properties: { type: { const: 'MARKET' }, side: { const: side } },
    required: ['type', 'side'],
  });
  return describeResource(
    'An order on a profile.',
    {
      profile: profileAddress('The profile to trade on: account.<key> (with profile: true) or profile.<key>.'),
      market: referTo('Market', 'The market, e.g. ETHUSD.'),
      side: referTo('OrderSide', 'BUY or SELL.'),
      type: referTo('OrderType', 'MARKET, LIMIT, POST_ONLY_LIMIT, STOP_MARKET or STOP_LIMIT.'),
      price: amount('The quote price (limit orders).'),
      base_amount: amount('The base currency amount for any limit order or the exact amount to sell for a market sell order.'),
      quote_amount: amount('The quote currency amount of purchase for a market buy order.'),
      stop_price: amount('The stop price at which a stop order will trigger.'),
      time_in_force: referTo('TimeInForce', 'How long the order stays open.'),
      ref_id: describeText(
        'The idempotence ID for order creation. Default: <ref_id_prefix>order-<key>.',
        { minLength: 1 },
      ),
      metadata: {
        ...describeMetadata('Metadata to store on the quote and created order. Up to 6 key/value pairs, each key and value at most 100 characters.'),
        maxProperties: 6,
        propertyNames: { maxLength: 100 },
        additionalProperties: { type: 'string', maxLength: 100 },
      },
      identity: identityAddress(
        'The end user that requests the trade (identity_id), on an omnibus or standalone profile. Goes with `account`.',
      ),
      account: describeText('The account under which this order is placed (identity_account_id). Goes with `identity`.', {
        pattern: buildAddressPattern(['account']),
      }),
      await_fill: describeBoolean('Wait until the order has filled (Paxos creates orders SUBMITTED and fills them afterwards) before the run ends and resources that depend on it run. Default: true for MARKET orders, which fill within moments; false for the others, which may rest.'),
    },
    {
      required: ['profile', 'market', 'side', 'type'],
      rules: [
        requireWhen('order.market_buy_quote_amount', marketSide('BUY'), {
          required: ['quote_amount'],
          properties: { base_amount: false },
        }),
        requireWhen('order.market_sell_base_amount', marketSide('SELL'), {
          required: ['base_amount'],
          properties: { quote_amount: false },
        }),
        requireWhen('order.limit_price_and_base_amount', whereFieldIn('type', limitPricedOrderTypes), {
          required: ['price', 'base_amount'],
          properties: { quote_amount: false },
        }),
        requireWhen('order.stop_price_required', whereFieldIn('type', stopOrderTypes), {
          required: ['stop_price'],
        }),
        markRule('order.attribution_pair', { dependentRequired: { identity: ['account'], account: ['identity'] } }),
      ],
    },
  );
}
