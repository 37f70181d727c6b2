/**
 * What `apply(inputs, options)` takes, with the defaults in one place.
 */
import { rateClasses } from '../domain/rate-classes.js';
import type { OpenPaxosClientOptions } from '../targets/open-target.js';
import type { Target } from '../paxos/types.js';
import type { Plan } from '../plan/plan-types.js';
import type { ApplyEventListener } from './apply-types.js';

export interface ApplyManifestOptions {
  /** `local` | `sandbox` | `production` | an emulator URL; by default local, or sandbox when credentials are set. */
  target?: string;
  /** Where `${env:...}` and `PAXOS_CLIENT_ID`/`PAXOS_CLIENT_SECRET` come from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Manifest paths, `outputs`, the journal and the local emulator's state resolve against this; default `process.cwd()`. */
  cwd?: string;
  /**
   * Make this run's objects its own: every ref_id and nickname gets a prefix
   * unique to the seed, every identity a synthetic cip id derived from it, so
   * the same manifest can be applied many times to one target. The same seed
   * reaches the same objects again; `true` draws a random seed.
   */
  isolate?: string | boolean;
  /**
   * Asked with the plan before anything is written; the run stops
   * (`apply.cancelled`) unless it answers true. Absent: no question (`--yes`,
   * and the library's default). Never asked for a saved plan: it was reviewed.
   */
  confirm?: (plan: Plan) => Promise<boolean>;
  /** Called with the plan once it is made (and, for a saved plan, checked), before `confirm`. */
  onPlan?: (plan: Plan) => void;
  /** Resources in flight at once (default `defaultConcurrency`); the pacer bounds each rate class besides. */
  concurrency?: number;
  /** Also write the outputs (ids, statuses; no PII) to this file. */
  outputs?: string;
  /** Progress, as it happens. */
  onEvent?: ApplyEventListener;
  /** Each API request as it completes (`--verbose`). */
  onRequest?: OpenPaxosClientOptions['onRequest'];
  /** Called once the target is known, before anything is read from it. */
  onTarget?: (target: Target) => void;
  /** What the user must hear while the run goes on (a rate-limit lockout and when it ends): the CLI prints it on stderr. */
  onNotice?: (message: string) => void;
  /** Also tear down the plan's orphans (`--prune`), after the apply: cancel, deactivate, disable as `destroy` does. */
  prune?: boolean;
  /** `prune` against production is refused unless this is set (`--allow-production-destroy`). */
  allowProductionDestroy?: boolean;
  /** Production orders trade real money: refused unless this is set (`--allow-production-orders`). */
  allowProductionOrders?: boolean;
  /** `off` only against an emulator with rate limits off (tests); default `paxos`, and `off` on the embedded emulator unless `realistic`. */
  pacing?: OpenPaxosClientOptions['pacing'];
  /** The embedded emulator with the sandbox's rate limits, pacing and delays, to predict a sandbox run's timing (`--realistic`); default fast. */
  realistic?: boolean;
  /**
   * Aborted (Ctrl-C): no further resource is started and waits stop; calls in
   * flight finish, so nothing is left half-sent, and the run reports what it
   * did. Running apply again goes on from there.
   */
  signal?: AbortSignal;
  /** Another run on the same target: how long to wait for it, and what to say meanwhile (the lock is taken for the whole run). */
  lock?: OpenPaxosClientOptions['lock'];
  /** How often the events feed is read while identities wait for a decision, and orders for a fill (default 500 ms). */
  pollIntervalMs?: number;
  /**
   * How long Paxos's transfer listing may lag a sandbox deposit (default 90 s:
   * the docs say a deposit can take a minute, plus a margin). A deposit whose
   * call may have landed is sent again only once this has passed and the
   * listing still does not show it.
   */
  listingLagMs?: number;
  /** How long a 429 without Retry-After pauses the run (default 5 minutes, Paxos's documented lockout); for emulators locking out for less. */
  rateLimitLockoutMs?: number;
  /** Folders besides the manifest's own that `${file:}` may read (relative to `cwd`). */
  allowFileRoots?: readonly string[];
}

/**
 * Enough resources in flight to keep every rate class busy: the sum of the
 * classes' per-second limits (a paced call holds its slot about a second).
 */
export const defaultConcurrency = rateClasses.default.perSecond + rateClasses.tenPerSecond.perSecond + rateClasses.transfer.perSecond;

export const defaultPollIntervalMs = 500;

/** The fast embedded emulator settles at the next request: each poll is itself a request or two, and a half-second poll would be most of a run. */
export const localPollIntervalMs = 1;

export const defaultListingLagMs = 90_000;
