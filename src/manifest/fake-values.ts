/**
 * The `fake:` values of generators: realistic, valid-format, synthetic data
 * drawn from `@faker-js/faker`'s en_US data set, each value seeded by where it
 * is (the resource's address and the field), so the same manifest always
 * expands to the same world and editing one field changes that field alone.
 */

/** What a `fake:` may name, with what it gives; the docs and the schema list these. */
export const fakeKinds = {
  first_name: 'a first name',
  last_name: 'a last name',
  company_name: 'a company name',
  email: 'an address at example.com (a domain that receives no mail)',
  phone_number: 'a US number in the 555-01xx range reserved for fiction',
  date_of_birth: 'a YYYY-MM-DD date of birth, aged min_age to max_age (default 21 to 80) on 2025-01-01',
  date: 'a YYYY-MM-DD date between from and to (default 2000-01-01 to 2024-12-31)',
  ssn: 'a synthetic SSN, NNN-NN-NNNN in the 9xx area with a group no SSN or ITIN uses; one per resource, unique across the manifest',
  ein: 'a synthetic EIN, NN-NNNNNNN with a prefix the IRS does not assign; one per resource, unique across the manifest',
  address: 'a US address mapping (address1, city, province, country USA, zip_code in that state)',
  pick: 'one of the values listed in from',
  amount: 'a whole decimal string between min and max (default 100 to 10000)',
} as const;

export type FakeKind = keyof typeof fakeKinds;

export function isFakeKind(name: string): name is FakeKind {
  return Object.hasOwn(fakeKinds, name);
}

/** The options a `fake:` mapping may carry besides `fake`, per kind. */
export const fakeOptions: Readonly<Record<FakeKind, readonly string[]>> = {
  first_name: [],
  last_name: [],
  company_name: [],
  email: [],
  phone_number: [],
  date_of_birth: ['min_age', 'max_age'],
  date: ['from', 'to'],
  ssn: [],
  ein: [],
  address: ['country'],
  pick: ['from'],
  amount: ['min', 'max'],
};

/** The reference date ages are counted from: fixed, so a manifest expands the same on any day. */
const ageReference = Date.UTC(2025, 0, 1);
const dayMs = 86_400_000;

interface FakerLike {
  seed(seed: number): unknown;
  company: { name(): string };
  location: { state(options: { abbreviated: true }): string; zipCode(options?: { state: string }): string };
}

/** faker's word lists used directly: its template-driven streetAddress() and city() cost most of an address. */
interface AddressWords {
  firstNames: readonly string[];
  lastNames: readonly string[];
  streetNames: readonly string[];
  streetSuffixes: readonly string[];
  cityNames: readonly string[];
}

/** A seedable source of fake values; created once per process, on first use. */
export interface FakeSource {
  /** Sets the seed of the next draws. */
  seed(seed: number): void;
  /** A float in [0, 1). */
  next(): number;
  faker: FakerLike;
  words: AddressWords;
}

let loading: Promise<FakeSource> | undefined;

/**
 * Loads faker's en_US locale alone (some 50 ms; the package's main entry
 * would load every locale) with a small seedable generator of our own: faker's
 * default Mersenne Twister costs ~30 µs per seeding, and a value is seeded
 * per field, so 10,000 generated persons would spend seconds seeding.
 */
export function loadFakeSource(): Promise<FakeSource> {
  loading ??= (async () => {
    const { faker } = await import('@faker-js/faker/locale/en_US');
    let state = 0;
    const next = (): number => {
      // mulberry32: tiny state, so seeding is one assignment.
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const randomizer = {
      next,
      seed: (seed: number | number[]) => {
        state = (Array.isArray(seed) ? (seed[0] ?? 0) : seed) | 0;
      },
    };
    const Faker = faker.constructor as new (options: { locale: unknown; randomizer: typeof randomizer }) => FakerLike;
    const seeded = new Faker({ locale: faker.rawDefinitions, randomizer });
    const location = (faker.rawDefinitions as { location?: { street_name?: string[]; street_suffix?: string[]; city_name?: string[] } }).location ?? {};
    const person = (faker.rawDefinitions as { person?: { first_name?: { generic?: string[] }; last_name?: { generic?: string[] } } }).person ?? {};
    const words = {
      firstNames: person.first_name?.generic ?? ['Alex'],
      lastNames: person.last_name?.generic ?? ['Smith'],
      streetNames: location.street_name ?? [], streetSuffixes: location.street_suffix ?? ['Street'], cityNames: location.city_name ?? ['Springfield'],
    };
    return { seed: (seed) => randomizer.seed(seed), next, faker: seeded, words };
  })();
  return loading;
}

/** FNV-1a, 32 bits: a stable seed from text. */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

export type FakeResult = { ok: true; value: unknown } | { ok: false; message: string; hint?: string };

/** Per expansion of a whole manifest: ids already handed out, so synthetic ids are unique across its files. */
export interface FakeIdRegistry {
  /** id → the resource it was made for (`persons/trader-1`). */
  issued: Map<string, string>;
  /** `persons/trader-1|ssn` → the id made for it, so one resource asking twice gets the same one. */
  byResource: Map<string, string>;
}

export function createFakeIdRegistry(): FakeIdRegistry {
  return { issued: new Map(), byResource: new Map() };
}

const unassignedEinPrefixes = ['07', '08', '09', '17', '18', '19', '28', '29', '49', '69', '70', '78', '79', '89', '96', '97'];

/**
 * One fake value. `resource` names the resource (`persons/trader-1`), `field`
 * the pointer inside it: together they seed the draw.
 */
export function makeFakeValue(
  source: FakeSource,
  kind: FakeKind,
  options: Readonly<Record<string, unknown>>,
  resource: string,
  field: string,
  ids: FakeIdRegistry,
): FakeResult {
  source.seed(hashSeed(`${resource}\u0000${field}`));
  const { faker, next } = source;
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pad = (value: number, width: number): string => String(value).padStart(width, '0');
  switch (kind) {
    case 'first_name':
      return { ok: true, value: fit(() => pickFrom(source.words.firstNames, int)) };
    case 'last_name':
      return { ok: true, value: fit(() => pickFrom(source.words.lastNames, int)) };
    case 'company_name':
      return { ok: true, value: fit(() => faker.company.name()) };
    case 'email':
      return { ok: true, value: `user-${(hashSeed(resource) >>> 0).toString(36)}@example.com` };
    case 'phone_number':
      return { ok: true, value: `+1 ${int(201, 989)} 555 01${pad(int(0, 99), 2)}` };
    case 'date_of_birth': {
      const minAge = numberOption(options, 'min_age', 21);
      const maxAge = numberOption(options, 'max_age', 80);
      if (!minAge.ok) return minAge;
      if (!maxAge.ok) return maxAge;
      if (minAge.value < 18 || maxAge.value > 120 || minAge.value > maxAge.value) {
        return { ok: false, message: `ages ${minAge.value} to ${maxAge.value} are not a range of adults`, hint: 'write min_age ≥ 18 and max_age ≥ min_age' };
      }
      const latest = yearsBefore(ageReference, minAge.value);
      const earliest = yearsBefore(ageReference, maxAge.value + 1) + dayMs;
      return { ok: true, value: isoDate(earliest + Math.floor(next() * ((latest - earliest) / dayMs + 1)) * dayMs) };
    }
    case 'date': {
      const from = dateOption(options, 'from', '2000-01-01');
      const to = dateOption(options, 'to', '2024-12-31');
      if (!from.ok) return from;
      if (!to.ok) return to;
      if (from.value > to.value) return { ok: false, message: 'from is after to', hint: 'write from: YYYY-MM-DD before to: YYYY-MM-DD' };
      return { ok: true, value: isoDate(from.value + Math.floor(next() * ((to.value - from.value) / dayMs + 1)) * dayMs) };
    }
    case 'ssn':
      // Area 9xx is never an SSN, and groups 01–49 are never an ITIN: no real person's number.
      return uniqueId(ids, resource, 'ssn', () => `9${pad(int(0, 99), 2)}-${pad(int(1, 49), 2)}-${pad(int(1, 9999), 4)}`);
    case 'ein':
      return uniqueId(ids, resource, 'ein', () => `${unassignedEinPrefixes[int(0, unassignedEinPrefixes.length - 1)] ?? '07'}-${pad(int(0, 9_999_999), 7)}`);
    case 'address': {
      const country = options['country'] ?? 'USA';
      if (country !== 'USA') return { ok: false, message: `addresses are made for USA only, not \`${String(country)}\``, hint: 'write country: USA, or write the address out' };
      const province = faker.location.state({ abbreviated: true });
      return {
        ok: true,
        value: { address1: fit(() => street(source, int)), city: fit(() => pickFrom(source.words.cityNames, int)), province, country: 'USA', zip_code: faker.location.zipCode({ state: province }) },
      };
    }
    case 'pick': {
      const from = options['from'];
      if (!Array.isArray(from) || from.length === 0) return { ok: false, message: 'pick needs a non-empty list in from', hint: 'write { fake: pick, from: [A, B, C] }' };
      return { ok: true, value: from[int(0, from.length - 1)] };
    }
    case 'amount': {
      const min = numberOption(options, 'min', 100);
      const max = numberOption(options, 'max', 10_000);
      if (!min.ok) return min;
      if (!max.ok) return max;
      if (min.value < 0 || min.value > max.value) return { ok: false, message: `min ${min.value} and max ${max.value} are not a range of amounts`, hint: 'write 0 ≤ min ≤ max' };
      return { ok: true, value: String(int(Math.ceil(min.value), Math.floor(max.value))) };
    }
  }
}

/** `384 Laurel Lane` or `12 Schmeler Street`: a building number, then a street name of the data set or a surname and a suffix. */
function street(source: FakeSource, int: (min: number, max: number) => number): string {
  const { streetNames, streetSuffixes } = source.words;
  const name = streetNames.length > 0 && source.next() < 0.5 ? pickFrom(streetNames, int) : `${pickFrom(source.words.lastNames, int)} ${pickFrom(streetSuffixes, int)}`;
  return `${int(1, 9999)} ${name}`;
}

function pickFrom(values: readonly string[], int: (min: number, max: number) => number): string {
  return values[int(0, values.length - 1)] ?? '';
}

/** What Paxos takes in a mailing address field (the spec's MailingAddress): at most 35 of these characters. */
const paxosAddressText = /^[0-9A-Za-z /?:().,&'+-]{1,35}$/;

/** A draw Paxos accepts: redrawn while too long or holding other characters (faker's data has a few), cut as a last resort. */
function fit(draw: () => string): string {
  let value = draw();
  for (let attempt = 0; attempt < 20 && !paxosAddressText.test(value); attempt++) value = draw();
  return paxosAddressText.test(value) ? value : value.replace(/[^0-9A-Za-z /?:().,&'+-]/g, '').slice(0, 35).trim() || 'Example';
}

function uniqueId(ids: FakeIdRegistry, resource: string, type: string, draw: () => string): FakeResult {
  const mine = `${resource}|${type}`;
  const known = ids.byResource.get(mine);
  if (known !== undefined) return { ok: true, value: known };
  // A clash redraws from where the generator stands: still the same sequence for the same manifest.
  for (let attempt = 0; attempt < 100; attempt++) {
    const id = draw();
    if (ids.issued.has(id)) continue;
    ids.issued.set(id, resource);
    ids.byResource.set(mine, id);
    return { ok: true, value: id };
  }
  return { ok: false, message: `no unused ${type} found after 100 draws`, hint: 'the synthetic range is exhausted; generate fewer identities' };
}

function numberOption(options: Readonly<Record<string, unknown>>, name: string, fallback: number): { ok: true; value: number } | { ok: false; message: string; hint: string } {
  const value = options[name] ?? fallback;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) return { ok: false, message: `${name} must be a number`, hint: `write ${name}: ${fallback}` };
  return { ok: true, value: number };
}

function dateOption(options: Readonly<Record<string, unknown>>, name: string, fallback: string): { ok: true; value: number } | { ok: false; message: string; hint: string } {
  const value = options[name] ?? fallback;
  const time = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(time)) return { ok: false, message: `${name} must be a date, YYYY-MM-DD`, hint: `write ${name}: "${fallback}"` };
  return { ok: true, value: time };
}

function yearsBefore(time: number, years: number): number {
  const date = new Date(time);
  date.setUTCFullYear(date.getUTCFullYear() - years);
  return date.getTime();
}

function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
