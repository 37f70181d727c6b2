/**
 * Progress for a terminal, with listr2: a top task for the run (target,
 * progress, elapsed time; the summary once it ends), a task per kind with live
 * counts (`person  2/5  (1 failed)`), and under each a task per resource whose
 * title follows it: `person.alice  creating`, `… waiting for approval`,
 * `… created  identity_id=…  APPROVED`, `… failed`, `… skipped`.
 *
 * listr2 runs only the tasks it had when it started (tasks added later are
 * drawn, never run), and events name resources only as they come: so each kind
 * gets as many untitled, undrawn tasks as `run-start` counts, and a resource
 * takes the next free one when first heard of. A `noop` resource leaves its
 * task untitled unless `verbose`, so the screen shows what changes.
 *
 * Nothing here throws into the executor: events are applied in a try/catch and
 * the list's promise is caught; a failed resource is a failed task under
 * `exitOnError: false`, which listr2 shows and carries on from.
 */
import type { Writable } from 'node:stream';
import { Listr, ListrDefaultRendererLogLevels, ListrLogger, ProcessOutput, type ListrTask } from 'listr2';
import type { Address, ResourceKind } from '../../manifest/kinds.js';
import type { ApplyEvent } from '../apply-types.js';
import { type ApplyProgress, actionWords, doneText, phaseWords, skipReason, neverThrowing, summaryLine, warningLine } from './progress-common.js';

/** `default` redraws in place (TTY); `simple` and `test` write lines. Not `verbose`: it shows a failure's message without the title, so without the address. */
export type ListrRendererName = 'default' | 'simple' | 'test';

export interface ListrProgressOptions {
  /** The clock for the elapsed time in the top title (default: the system clock). */
  now?: () => Date;
  /** Also show resources that were already converged. */
  verbose?: boolean;
  /** Default `default`. listr2 falls back to `simple` when `process.stdout` is not a TTY: it judges by stdout whatever the stream. */
  renderer?: ListrRendererName;
  /** False: listr2's icons and spinner without ANSI colours (default: listr2's own choice, from the environment). */
  color?: boolean;
}

/** A resource's task: hidden until it has a title; `ending` says how its task settles. */
interface Slot {
  address?: Address;
  title?: string;
  ending?: { state: 'completed' } | { state: 'failed' | 'skipped'; message: string };
  wrapper?: { title: string };
  settle: () => void;
  settled: Promise<void>;
}

interface KindState {
  slots: Slot[];
  total: number;
  finished: number;
  troubles: Map<'failed' | 'blocked' | 'skipped', number>;
  wrapper?: { title: string };
}

/** One run, from run-start: what is drawn, and the list's promise (which never rejects). */
interface Run {
  target: string;
  total: number;
  startedAt: number;
  kinds: Map<ResourceKind, KindState>;
  top?: { title: string; output: string };
  warnings: string[]; // those that came before listr2 started the top task
  finalTitle?: string; // set once the run ended: the summary
  /** An untitled task that holds the top task open until run-end: else it completes with the last resource, before the summary. */
  end: Slot;
  rendered: Promise<void>;
  ticker?: NodeJS.Timeout;
}

export function createListrProgress(stream: Writable, options: ListrProgressOptions = {}): ApplyProgress {
  const now = options.now ?? (() => new Date());
  const renderer = options.renderer ?? 'default';
  let run: Run | undefined;
  const finishedCount = (r: Run): number => [...r.kinds.values()].reduce((sum, kind) => sum + kind.finished, 0);
  // Whole seconds while running: the title is redrawn every second, and tenths would flicker.
  const topTitle = (r: Run): string =>
    r.finalTitle ?? `Applying to ${r.target}  ${finishedCount(r)}/${r.total}  ${Math.max(0, Math.floor((now().getTime() - r.startedAt) / 1000))} s`;
  const kindTitle = (kind: ResourceKind, state: KindState): string => {
    const troubles = [...state.troubles].map(([what, count]) => `${count} ${what}`);
    return `${kind}  ${state.finished}/${Math.max(state.total, state.finished)}${troubles.length > 0 ? `  (${troubles.join(', ')})` : ''}`;
  };
  const retitle = (wrapper: { title: string } | undefined, title: string | undefined): void => {
    if (wrapper && title !== undefined && wrapper.title !== title) wrapper.title = title;
  };

  /** The resource's task, taking a free one of its kind when it is first heard of; none if its kind has none left. */
  const slotOf = (r: Run, kind: ResourceKind, address: Address): Slot | undefined => {
    const slots = r.kinds.get(kind)?.slots ?? [];
    const slot = slots.find((candidate) => candidate.address === address) ?? slots.find((candidate) => candidate.address === undefined);
    if (slot) slot.address = address;
    return slot;
  };
  const setTitle = (r: Run, kind: ResourceKind, address: Address, text: string): void => {
    const slot = slotOf(r, kind, address);
    if (!slot || slot.ending) return;
    slot.title = `${address}  ${text}`;
    retitle(slot.wrapper, slot.title);
  };
  const end = (r: Run, kind: ResourceKind, address: Address, outcome: 'done' | 'failed' | 'blocked' | 'skipped', title: string | undefined, message = ''): void => {
    const state = r.kinds.get(kind);
    const slot = slotOf(r, kind, address);
    if (slot?.ending) return; // a second ending for one resource: the first one stands
    if (state) {
      state.finished += 1;
      if (outcome !== 'done') state.troubles.set(outcome, (state.troubles.get(outcome) ?? 0) + 1);
      retitle(state.wrapper, kindTitle(kind, state));
    }
    if (slot) {
      if (title !== undefined) slot.title = `${address}  ${title}`;
      slot.ending = outcome === 'done' ? { state: 'completed' } : { state: outcome === 'failed' ? 'failed' : 'skipped', message };
      retitle(slot.wrapper, slot.title);
      slot.settle();
    }
    if (r.top) r.top.title = topTitle(r);
  };

  const start = (event: Extract<ApplyEvent, { type: 'run-start' }>): Run => {
    const startedAt = new Date(event.at).getTime();
    const kinds = new Map<ResourceKind, KindState>();
    for (const [kind, count = 0] of Object.entries(event.byKind) as Array<[ResourceKind, number | undefined]>) {
      kinds.set(kind, { slots: Array.from({ length: count }, newSlot), total: count, finished: 0, troubles: new Map() });
    }
    const r: Run = { target: event.target, total: event.total, startedAt: Number.isNaN(startedAt) ? now().getTime() : startedAt, kinds, warnings: [], end: newSlot(), rendered: Promise.resolve() };
    const kindTasks = [...kinds].map(([kind, state]): ListrTask => ({
      title: kindTitle(kind, state),
      task: async (ctx, wrapper) => {
        state.wrapper = wrapper;
        wrapper.title = kindTitle(kind, state);
        await wrapper.newListr(state.slots.map(slotTask), { concurrent: true, exitOnError: false }).run(ctx);
        // The counts of what went wrong move from the title to the mark's message: said once.
        if (state.troubles.size > 0) wrapper.title = `${kind}  ${state.finished}/${Math.max(state.total, state.finished)}`;
        settleByTroubles(wrapper, state.troubles);
      },
    }));
    const topTask: ListrTask = {
      title: topTitle(r),
      task: async (ctx, wrapper) => {
        r.top = wrapper;
        wrapper.title = topTitle(r);
        for (const line of r.warnings.splice(0)) wrapper.output = line;
        await wrapper.newListr([...kindTasks, slotTask(r.end)], { concurrent: true, exitOnError: false }).run(ctx);
        const troubles = new Map<string, number>();
        for (const state of kinds.values()) for (const [what, count] of state.troubles) troubles.set(what, (troubles.get(what) ?? 0) + count);
        settleByTroubles(wrapper, troubles);
      },
      // Warnings stay on screen under the top title, every one of them, after the run too.
      rendererOptions: { outputBar: Infinity, persistentOutput: true },
    };
    const logger = new ListrLogger({ processOutput: new ProcessOutput(stream as NodeJS.WriteStream, stream as NodeJS.WriteStream), useIcons: true });
    const plain = options.color === false ? { color: uncoloured } : {};
    // Every resource stays on screen at the end, and errors and skip reasons go on a line under the title (which keeps the address) instead of replacing it.
    const rendererOptions = renderer === 'default' ? { logger, collapseSubtasks: false, collapseErrors: false, collapseSkips: false, ...plain } : { logger, ...plain };
    const fallback = { fallbackRenderer: 'simple', fallbackRendererOptions: { logger, ...plain }, silentRendererCondition: false } as const;
    // No signal listeners: on Ctrl-C listr2 would exit the process, which only the CLI may do.
    const list = new Listr([topTask], { concurrent: true, exitOnError: false, renderer, rendererOptions, ...fallback, registerSignalListeners: false });
    r.rendered = list.run().then(() => undefined, () => undefined);
    // The default renderer redraws on its own; a ticking title keeps the elapsed time live during long waits.
    if (renderer === 'default') r.ticker = setInterval(() => retitle(r.top, topTitle(r)), 1000).unref();
    return r;
  };

  const finish = (r: Run, title: string): Promise<void> => {
    if (r.finalTitle === undefined) {
      r.finalTitle = title;
      if (r.ticker) clearInterval(r.ticker);
      retitle(r.top, title);
      for (const slot of [...[...r.kinds.values()].flatMap((state) => state.slots), r.end]) {
        // A resource still in flight when the run ended: say so rather than leave it spinning.
        slot.ending ??= slot.title === undefined ? { state: 'completed' } : { state: 'skipped', message: 'did not finish' };
        slot.settle();
      }
    }
    return r.rendered;
  };

  const onEvent = (event: ApplyEvent): void => {
    if (event.type === 'run-start') {
      run ??= start(event);
      return;
    }
    const r = run;
    if (!r || r.finalTitle !== undefined) return;
    switch (event.type) {
      case 'start':
        if (event.action !== 'noop' || options.verbose) setTitle(r, event.kind, event.address, [actionWords[event.action], event.description].filter(Boolean).join('  '));
        else slotOf(r, event.kind, event.address);
        return;
      case 'phase':
        setTitle(r, event.kind, event.address, phaseWords[event.phase]);
        return;
      case 'done': {
        const quiet = event.outcome === 'unchanged' && !options.verbose && slotOf(r, event.kind, event.address)?.title === undefined;
        end(r, event.kind, event.address, 'done', quiet ? undefined : doneText(event));
        return;
      }
      case 'failed':
        end(r, event.kind, event.address, 'failed', 'failed', `${event.error.code}: ${event.error.message}`);
        return;
      case 'blocked':
        end(r, event.kind, event.address, 'blocked', 'blocked', event.reason);
        return;
      case 'skipped':
        end(r, event.kind, event.address, 'skipped', 'skipped', skipReason(event));
        return;
      case 'warning': {
        const line = warningLine(event);
        // The top task's output bar keeps every line written to it (see its renderer options).
        if (r.top) r.top.output = line;
        else r.warnings.push(line);
        return;
      }
      case 'run-end':
        void finish(r, summaryLine(event.summary));
        return;
      default:
        return;
    }
  };

  return {
    onEvent: neverThrowing(onEvent),
    // Without a run-end (the executor threw), the list is finished here so the terminal is left clean.
    close: () => (run ? finish(run, `Apply stopped  ${finishedCount(run)}/${run.total}`) : Promise.resolve()).catch(() => undefined),
  };
}

/** Every level listr2 styles, styled as nothing: icons stay, colours go. */
const uncoloured = Object.fromEntries(Object.values(ListrDefaultRendererLogLevels).map((level) => [level, (text?: string) => text ?? '']));

function newSlot(): Slot {
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  return { settle, settled };
}

/**
 * A group's mark follows what happened under it, not only that it ended: a
 * green ✔ over "2 failed" says the opposite of the line. Any failure fails
 * the group (✖); blocked or skipped resources alone mark it skipped (↓), with
 * their counts as the message.
 */
function settleByTroubles(wrapper: { skip(message?: string): void }, troubles: ReadonlyMap<string, number>): void {
  const counts = (['failed', 'blocked', 'skipped'] as const).filter((what) => (troubles.get(what) ?? 0) > 0).map((what) => `${troubles.get(what)} ${what}`);
  if (counts.length === 0) return;
  if ((troubles.get('failed') ?? 0) > 0) throw new GroupFailed(counts.join(', '));
  wrapper.skip(counts.join(', '));
}

/** Marks a group failed: its message is the count of what did not go through (each resource says why on its own line). */
class GroupFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GroupFailed';
  }
}

/** A resource's task: untitled (not drawn) until it is heard of, settled by its ending. */
function slotTask(slot: Slot): ListrTask {
  return {
    task: async (_ctx, wrapper) => {
      slot.wrapper = wrapper;
      if (slot.title !== undefined) wrapper.title = slot.title;
      await slot.settled;
      if (slot.title !== undefined && wrapper.title !== slot.title) wrapper.title = slot.title;
      if (slot.ending?.state === 'failed') throw new Error(slot.ending.message);
      if (slot.ending?.state === 'skipped') wrapper.skip(slot.ending.message);
    },
  };
}
