/**
 * The domain records the emulator stores in `EmulatorState`. Plain JSON data
 * (strings, numbers, booleans, arrays, objects) so `--data file.json` persists
 * them as they are: decimals are strings, times RFC 3339 strings. Every record
 * carries `seq`, its creation order, which cursors and stable sorting use.
 */

/** Free-form JSON object, as the API's detail objects are. */
export type JsonObject = Record<string, unknown>;

export interface IdentityRecord {
  seq: number;
  id: string;
  type: 'PERSON' | 'INSTITUTION';
  ref_id?: string;
  summary_status: string;
  /** Holds the sub-statuses (`id_verification_status`, ...) as the API shows them. */
  person_details?: JsonObject;
  institution_details?: JsonObject;
  customer_due_diligence?: JsonObject;
  tax_details?: JsonObject[];
  tax_details_not_required?: boolean;
  metadata?: Record<string, string>;
  is_merchant?: boolean;
  last_kyc_refresh_date?: string;
  user_disabled: boolean;
  admin_disabled: boolean;
  created_at: string;
  updated_at: string;
}

export interface InstitutionMemberRecord {
  seq: number;
  id: string;
  institution_id: string;
  identity_id: string;
  roles: string[];
  ownership?: string;
  position?: string;
}

export interface AccountRecord {
  seq: number;
  id: string;
  identity_id: string;
  ref_id?: string;
  description?: string;
  name?: string;
  /** As sent; the guide's CRYPTO_BROKERAGE is kept but only spec types are shown. */
  type?: string;
  metadata?: Record<string, string>;
  profile_id?: string;
  user_disabled: boolean;
  admin_disabled: boolean;
  created_at: string;
  updated_at: string;
}

export interface AccountMemberRecord {
  seq: number;
  id: string;
  account_id: string;
  identity_id: string;
  roles: string[];
}

export interface ProfileRecord {
  seq: number;
  id: string;
  nickname: string;
  type: 'NORMAL' | 'DEFAULT';
  description?: string;
  account_id?: string;
  deactivated: boolean;
  created_at: string;
}

/** One asset's balance of a profile: `available` is free to use, `trading` is held by open orders. */
export interface BalanceRecord {
  available: string;
  trading: string;
}

export interface TransferRecord {
  seq: number;
  id: string;
  customer_id: string;
  profile_id: string;
  identity_id?: string;
  account_id?: string;
  ref_id?: string;
  amount: string;
  total: string;
  fee: string;
  asset: string;
  balance_asset: string;
  direction: 'CREDIT' | 'DEBIT';
  type: string;
  status: 'PENDING' | 'COMPLETED' | 'FAILED';
  crypto_network?: string;
  created_at: string;
  updated_at: string;
  /**
   * A sandbox deposit's `activity_id` (its own id, not the transfer's). Not
   * shown: the spec's Transfer has no field that relates the two.
   */
  activity_id?: string;
  /** While set, the deposit is neither listed nor credited; the ticker does both at this time (RFC 3339). */
  unlisted_until?: string;
}

export interface OrderRecord {
  seq: number;
  id: string;
  profile_id: string;
  ref_id?: string;
  status: string;
  side: 'BUY' | 'SELL';
  market: string;
  type: string;
  base_amount?: string;
  quote_amount?: string;
  price?: string;
  stop_price?: string;
  time_in_force?: string;
  metadata?: Record<string, string>;
  identity_id?: string;
  identity_account_id?: string;
  amount_filled: string;
  volume_weighted_average_price: string;
  /** What an OPEN order holds (moved from `available` to `trading`), released on cancel. */
  hold?: { asset: string; amount: string };
  is_triggered?: boolean;
  created_at: string;
  modified_at: string;
}
