/**
 * `importWorld(options)`: the library call behind `paxos-onboard import`.
 * Reads identities (with their members), accounts and standalone profiles
 * from a target and writes them as a manifest that, applied to the same
 * target, plans no change: the remote's own ref_ids written explicitly (so no
 * `ref_id_prefix`, which would also turn the deposits and orders the manifest
 * leaves out into orphans), identity fields in the shape the planner diffs
 * and digests (`remoteIdentityFields`), and personal data as `${env:NAME}`
 * placeholders whose values are returned apart, never in the YAML.
 */
import { stringify } from 'yaml';
import { UsageError } from '../errors.js';
import type { Environment } from '../manifest/options.js';
import type { PaxosClient, Target } from '../paxos/types.js';
import { withoutLedger } from '../resources/deposit-ledger.js';
import { isPlainObject } from '../resources/field-diff.js';
import { institutionConfig } from '../resources/institution.js';
import { personConfig } from '../resources/person.js';
import { remoteIdentityFields, type IdentityKind, type IdentityKindConfig, type Json } from '../resources/identity-fields.js';
import { listPageSize, readEach } from '../resources/remote-reads.js';
import { scopeRequest, scopeNeeds } from '../resources/scopes.js';
import { clientOptionsForRun, openPaxosClient, type OpenPaxosClientOptions } from '../targets/open-target.js';

export interface ImportWorldOptions {
  /** `local` | `sandbox` | `production` | an emulator URL, as for `plan`. */
  target?: string;
  /** Where `PAXOS_CLIENT_ID`/`PAXOS_CLIENT_SECRET` come from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The local emulator's state folder resolves against this; default `process.cwd()`. */
  cwd?: string;
  /** Only what carries this ref_id (nickname) prefix, plus the identities it needs. */
  refIdPrefix?: string;
  /** Only these identities (Paxos ids), with their members and accounts. */
  ids?: readonly string[];
  /** Called once the target is known, before anything is read (the CLI prints its notice). */
  onTarget?: (target: Target) => void;
  onRequest?: OpenPaxosClientOptions['onRequest'];
  /** Another run on the same target: how long to wait for it, and what to say meanwhile. */
  lock?: OpenPaxosClientOptions['lock'];
  /** Stops the wait for another run (Ctrl-C). */
  signal?: AbortSignal;
}

/** One personal value left out of the YAML: `${env:name}` stands for it. */
export interface SensitiveValue {
  name: string;
  value: string;
}

export interface ImportResult {
  /** The manifest, as YAML, with the header comment. */
  yaml: string;
  /** The same manifest as an object. */
  manifest: Json;
  /** The values of the manifest's `${env:}` placeholders, in the order they appear. */
  sensitive: SensitiveValue[];
  counts: { persons: number; institutions: number; accounts: number; profiles: number };
}

const identitiesPath = '/v2/identity/identities';
const accountsPath = '/v2/identity/accounts';
const profilesPath = '/v2/profiles';

/** Reads the target and returns the manifest that describes it. */
export async function importWorld(given: ImportWorldOptions = {}): Promise<ImportResult> {
  if (given.refIdPrefix !== undefined && given.ids !== undefined) throw new UsageError('give either a ref_id prefix or identity ids, not both');
  const needs = scopeNeeds(['person', 'institution', 'account', 'profile'], 'read');
  const clientOptions = clientOptionsForRun({ env: given.env ?? process.env, cwd: given.cwd ?? process.cwd(), ...scopeRequest(needs, 'import') }, given);
  const client = await openPaxosClient(clientOptions);
  try {
    given.onTarget?.(client.target);
    return await readWorld(client, given);
  } finally {
    await client.close();
  }
}

async function readWorld(client: PaxosClient, options: ImportWorldOptions): Promise<ImportResult> {
  const prefix = options.refIdPrefix;
  const idFilter = options.ids === undefined ? undefined : new Set(options.ids);
  const [identities, accounts, profiles] = await Promise.all([
    client.listAll<Json>({ method: 'GET', path: identitiesPath }, { pageSize: listPageSize }),
    client.listAll<Json>({ method: 'GET', path: accountsPath }, { pageSize: listPageSize }),
    // Profiles belong to no identity: an import by ids leaves them out.
    idFilter ? Promise.resolve([] as Json[]) : client.listAll<Json>({ method: 'GET', path: profilesPath, ...(prefix ? { query: { nickname: prefix } } : {}) }, { pageSize: listPageSize }),
  ]);
  const keyed = (value: unknown): value is string => typeof value === 'string' && value !== '';
  const selected = (key: unknown): boolean => (prefix === undefined ? true : keyed(key) && key.startsWith(prefix));

  const chosenIds = new Set<string>();
  for (const identity of identities) {
    const id = String(identity.id);
    if (idFilter ? idFilter.has(id) : selected(identity.ref_id)) chosenIds.add(id);
  }
  if (idFilter) for (const id of idFilter) if (!chosenIds.has(id)) throw new UsageError(`identity ${id} is not on the target`);
  // Accounts are keyed by ref_id: one without cannot be written. An account of the prefix brings its owner along.
  const chosenAccounts = accounts.filter((account) => keyed(account.ref_id) && (chosenIds.has(String(account.identity_id)) || (!idFilter && selected(account.ref_id))));
  for (const account of chosenAccounts) chosenIds.add(String(account.identity_id));

  // Details of the chosen, then of members they name that are not chosen yet, until none is missing.
  const records = new Map<string, Json>();
  let pending = [...chosenIds];
  while (pending.length > 0) {
    const read = await readEach(pending, (id) =>
      client.request<Json>({ method: 'GET', path: `${identitiesPath}/${encodeURIComponent(id)}`, query: { include_details: true, include_institution_members: true } }),
    );
    for (const record of read) records.set(String(record.id), record);
    pending = [...new Set(read.flatMap((record) => memberIds(record)).filter((id) => !records.has(id)))];
  }

  const keys = new KeyMaker();
  const addressById = new Map<string, string>();
  const ordered = [...records.values()].sort((a, b) => String(a.ref_id ?? a.id).localeCompare(String(b.ref_id ?? b.id)));
  for (const record of ordered) {
    const kind: IdentityKind = record.type === 'INSTITUTION' ? 'institution' : 'person';
    addressById.set(String(record.id), `${kind}.${keys.make(kind, record.ref_id, String(record.id), prefix)}`);
  }
  const addressOf = (id: string): string => addressById.get(id) ?? id;

  const secrets = new Secrets();
  const persons: Json = {};
  const institutions: Json = {};
  for (const record of ordered) {
    const address = addressOf(String(record.id));
    const [kind, key] = splitAddress(address);
    const config: IdentityKindConfig = kind === 'institution' ? institutionConfig : personConfig;
    const fields = identityFields(config, record, addressOf);
    secrets.hide(fields, key, kind);
    (kind === 'institution' ? institutions : persons)[key] = fields;
  }

  const accountsOut: Json = {};
  for (const account of [...chosenAccounts].sort((a, b) => String(a.ref_id).localeCompare(String(b.ref_id)))) {
    accountsOut[keys.make('account', account.ref_id, String(account.id), prefix)] = accountFields(account, addressOf);
  }

  const profilesOut: Json = {};
  const standalone = profiles.filter((profile) => profile.type !== 'DEFAULT' && profile.account_id === undefined && keyed(profile.nickname) && selected(profile.nickname));
  for (const profile of standalone.sort((a, b) => String(a.nickname).localeCompare(String(b.nickname)))) {
    profilesOut[keys.make('profile', profile.nickname, String(profile.id), prefix)] = compact({ nickname: profile.nickname, description: profile.description });
  }

  const environment: Environment = client.target.environment;
  const manifest: Json = {
    version: 1,
    environment,
    // Identities found approved stay so; new ones in a sandbox are approved the way the fixtures are.
    options: { approval: environment === 'production' ? 'wait' : 'sandbox' },
    ...(Object.keys(persons).length > 0 ? { persons } : {}),
    ...(Object.keys(institutions).length > 0 ? { institutions } : {}),
    ...(Object.keys(accountsOut).length > 0 ? { accounts: accountsOut } : {}),
    ...(Object.keys(profilesOut).length > 0 ? { profiles: profilesOut } : {}),
  };
  const header = [
    `# Imported from ${client.target.description.split(' (')[0] ?? client.target.kind} by paxos-onboard import.`,
    '# Deposits are not imported: a deposit has no key to find it by again, so applied it would fund the profile again.',
    '# Orders are not imported: they are history, not state to converge to.',
    '# Personal data is written as ${env:NAME}; `paxos-onboard import --show-sensitive` lists the values (NAME=value, on stderr).',
    '',
  ].join('\n');
  return {
    yaml: `${header}${stringify(manifest, { lineWidth: 0 })}`,
    manifest,
    sensitive: secrets.values,
    counts: { persons: Object.keys(persons).length, institutions: Object.keys(institutions).length, accounts: Object.keys(accountsOut).length, profiles: Object.keys(profilesOut).length },
  };
}

/**
 * An identity's fields as the manifest writes them. The planner digests the
 * manifest's fields, so the import writes exactly what a manifest that made
 * the identity would have held: no empty metadata, dates the API widened to
 * midnight written as the date the manifest gave.
 */
function identityFields(config: IdentityKindConfig, record: Json, addressOf: (id: string) => string): Json {
  const fields = remoteIdentityFields(config, record, addressOf);
  if (isPlainObject(fields.metadata) && Object.keys(fields.metadata).length === 0) delete fields.metadata;
  for (const key of config.dateTimeDetails ?? []) {
    const value = fields[key];
    if (typeof value === 'string') fields[key] = value.replace(/^(\d{4}-\d{2}-\d{2})T00:00:00(?:\.0+)?Z$/, '$1');
  }
  if (Array.isArray(fields.members) && fields.members.length === 0) delete fields.members;
  // The key first, as a person reading the file looks for it.
  const { ref_id: refId, ...rest } = fields;
  return refId === undefined ? rest : { ref_id: refId, ...rest };
}

function accountFields(account: Json, addressOf: (id: string) => string): Json {
  const metadata = withoutLedger(account.metadata);
  const members = Array.isArray(account.members) ? (account.members as Json[]).map((member) => ({ identity: addressOf(String(member.identity_id)), roles: member.roles })) : [];
  return compact({
    ref_id: account.ref_id,
    identity: addressOf(String(account.identity_id)),
    type: account.type,
    description: account.description,
    metadata: metadata && Object.keys(metadata).length > 0 ? metadata : undefined,
    members: members.length > 0 ? members : undefined,
    profile: typeof account.profile_id === 'string' ? true : undefined,
  });
}

function memberIds(record: Json): string[] {
  const members = record.institution_members;
  return Array.isArray(members) ? (members as Json[]).map((member) => member.identity_id).filter((id): id is string => typeof id === 'string') : [];
}

function splitAddress(address: string): [string, string] {
  const dot = address.indexOf('.');
  return [address.slice(0, dot), address.slice(dot + 1)];
}

/** Manifest keys from the remote's keys: `seed-person-alice` → `alice`, unique per kind. */
class KeyMaker {
  private readonly used = new Set<string>();

  make(kind: string, remoteKey: unknown, id: string, prefix: string | undefined): string {
    let text = typeof remoteKey === 'string' && remoteKey !== '' ? remoteKey : id;
    if (prefix && text.startsWith(prefix)) text = text.slice(prefix.length);
    // A derived ref_id is `<prefix><kind>-<key>`: without the prefix given, the kind still marks where the key starts.
    const derived = new RegExp(`^(?:.*?[-_.])?${kind}-(.+)$`).exec(text);
    if (derived?.[1] !== undefined) text = derived[1];
    let base = text.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
    if (base === '') base = kind;
    let key = base;
    for (let n = 2; this.used.has(`${kind}.${key}`); n += 1) key = `${base}-${n}`;
    this.used.add(`${kind}.${key}`);
    return key;
  }
}

/** Replaces personal values with `${env:NAME}` and keeps the values, NAME from the address (`ALICE_CIP_ID`). */
class Secrets {
  readonly values: SensitiveValue[] = [];
  private readonly names = new Set<string>();

  hide(fields: Json, key: string, kind: string): void {
    const stem = key.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
    fields.cip_id = this.placeholder(fields.cip_id, stem, kind, 'CIP_ID');
    fields.date_of_birth = this.placeholder(fields.date_of_birth, stem, kind, 'DATE_OF_BIRTH');
    if (Array.isArray(fields.tax_details)) {
      const many = fields.tax_details.length > 1;
      fields.tax_details = (fields.tax_details as unknown[]).map((entry, index) =>
        isPlainObject(entry) ? { ...entry, tax_payer_id: this.placeholder(entry.tax_payer_id, stem, kind, many ? `TAX_PAYER_ID_${index + 1}` : 'TAX_PAYER_ID') } : entry,
      );
    }
    // The rest of what the kind marks sensitive: a government id, the verifier's ids.
    fields.govt_id = this.placeholder(fields.govt_id, stem, kind, 'GOVT_ID');
    if (isPlainObject(fields.verification)) {
      const verification = { ...fields.verification };
      verification.passthrough_verification_id = this.placeholder(verification.passthrough_verification_id, stem, kind, 'VERIFICATION_ID');
      verification.verifier_id = this.placeholder(verification.verifier_id, stem, kind, 'VERIFIER_ID');
      fields.verification = compact(verification);
    }
    for (const name of ['cip_id', 'date_of_birth', 'tax_details', 'govt_id']) if (fields[name] === undefined) delete fields[name];
  }

  private placeholder(value: unknown, stem: string, kind: string, suffix: string): unknown {
    if (typeof value !== 'string' || value === '') return value;
    let name = `${stem}_${suffix}`;
    // A person and an institution may share a key: the second one's names say its kind.
    if (this.names.has(name)) name = `${kind.toUpperCase()}_${name}`;
    for (let n = 2; this.names.has(name); n += 1) name = `${stem}_${n}_${suffix}`;
    this.names.add(name);
    this.values.push({ name, value });
    return `\${env:${name}}`;
  }
}

function compact(object: Json): Json {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
