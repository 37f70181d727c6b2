/**
 * `plan --out plan.json` and, later, `apply plan.json`: a plan saved as JSON
 * with a `kind` marker and its `formatVersion`, so a reader can tell a plan
 * from any other JSON and refuse one it does not understand.
 *
 * A saved plan holds no PII: a plan built with `showSensitive` says so
 * (`sensitiveShown`) and is refused here; `plan --out --show-sensitive` saves
 * a masked twin built from the same refresh instead. Masked is enough for
 * apply: it re-reads the manifest files named in
 * `manifest.files`, compares their digest with `manifest.digest` and the
 * remote's with `remoteFingerprint`, and refuses a stale plan; it never takes
 * a field value from this file.
 */
import { readFile } from 'node:fs/promises';
import { PaxosOnboardError } from '../errors.js';
import { writeFileAtomically } from '../write-file-atomically.js';
import type { Plan } from './plan-types.js';
import { canonicalPlan } from './render-json.js';

export const planFileKind = 'paxos-onboard-plan';
export const supportedPlanFormatVersion = 1;

export type PlanFileProblem = 'unreadable' | 'unwritable' | 'not-a-plan' | 'unsupported-version' | 'malformed' | 'sensitive';

/** A plan file that cannot be written or read back; `problem` says which way, `path` which file. */
export class PlanFileError extends PaxosOnboardError {
  readonly path: string;
  readonly problem: PlanFileProblem;

  constructor(path: string, problem: PlanFileProblem, message: string, options?: { cause?: unknown }) {
    super(`plan_file.${problem.replace(/-/g, '_')}`, message, options);
    this.name = 'PlanFileError';
    this.path = path;
    this.problem = problem;
  }
}

export function isPlanFileError(error: unknown): error is PlanFileError {
  return error instanceof PlanFileError;
}

/** Writes the plan, masked, with its marker first; atomically, so a reader never sees half a plan. */
export async function savePlan(path: string, plan: Plan): Promise<void> {
  if (plan.sensitiveShown) {
    throw new PlanFileError(path, 'sensitive', `not saving the plan to ${path}: it was built with showSensitive and holds unmasked PII; build it masked to save it`);
  }
  const { formatVersion, ...rest } = canonicalPlan(plan);
  const text = `${JSON.stringify({ kind: planFileKind, formatVersion, ...rest }, null, 2)}\n`;
  try {
    await writeFileAtomically(path, text, { mode: 0o600 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new PlanFileError(path, 'unwritable', `cannot write the plan to ${path}: ${code}`, { cause: error });
  }
}

/** Reads a plan saved by `savePlan`; anything else is refused with what the file is and what to do. */
export async function loadPlan(path: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new PlanFileError(path, 'unreadable', `cannot read the plan ${path}: ${code}`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PlanFileError(path, 'not-a-plan', `${path} is not JSON, so not a saved plan; make one with 'paxos-onboard plan <manifest...> --out ${path}'`, { cause: error });
  }
  const record = isRecord(data) ? data : {};
  if (record.kind !== planFileKind) {
    const what = 'steps' in record && 'formatVersion' in record
      ? "the output of 'plan --format json' (no plan-file marker)"
      : 'JSON, but not a saved plan';
    throw new PlanFileError(path, 'not-a-plan', `${path} is ${what}; save a plan with 'paxos-onboard plan <manifest...> --out ${path}'`);
  }
  if (record.formatVersion !== supportedPlanFormatVersion) {
    throw new PlanFileError(
      path,
      'unsupported-version',
      `${path} is a plan in format ${JSON.stringify(record.formatVersion)}; this paxos-onboard reads format ${supportedPlanFormatVersion}. Make the plan again with this version ('paxos-onboard plan <manifest...> --out ${path}'), or use the version that wrote it`,
    );
  }
  const missing = missingPlanFields(record);
  if (missing.length > 0) {
    throw new PlanFileError(path, 'malformed', `${path} is a damaged plan (${missing.join(', ')} missing or wrong); make it again with 'paxos-onboard plan <manifest...> --out ${path}'`);
  }
  const { kind: _kind, ...plan } = record;
  return plan as unknown as Plan;
}

/** What apply relies on: the manifest files and digest, the remote fingerprint, the target, the steps. */
function missingPlanFields(record: Record<string, unknown>): string[] {
  const missing: string[] = [];
  const manifest = isRecord(record.manifest) ? record.manifest : {};
  const target = isRecord(record.target) ? record.target : {};
  if (!Array.isArray(manifest.files) || !manifest.files.every((file) => typeof file === 'string')) missing.push('manifest.files');
  if (typeof manifest.digest !== 'string') missing.push('manifest.digest');
  if (typeof record.remoteFingerprint !== 'string') missing.push('remoteFingerprint');
  if (typeof target.kind !== 'string' || typeof target.apiUrl !== 'string') missing.push('target');
  if (!Array.isArray(record.steps)) missing.push('steps');
  if (!isRecord(record.summary)) missing.push('summary');
  return missing;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
