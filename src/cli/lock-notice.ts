/**
 * `--lock-timeout` of `plan` and `apply`, and the line a run prints while it
 * waits for another run on its target (the holder's pid, command and start,
 * so the user can find it).
 */
import { describeHolder, formatSeconds, parseLockTimeout, type TargetLockOptions } from '../paxos/target-lock.js';
import { writeLine, type CliIo } from './io.js';

export const lockTimeoutOption = {
  type: 'string',
  describe: 'how long to wait for another run on the same target to finish, e.g. 30s, 2m (default 10s, or PAXOS_ONBOARD_LOCK_TIMEOUT)',
} as const;

export function lockOptions(io: CliIo, timeout: string | undefined): Omit<TargetLockOptions, 'signal'> {
  const options: Omit<TargetLockOptions, 'signal'> = {
    onWait: ({ target, holder, timeoutMs }) =>
      writeLine(io.stderr, `Waiting up to ${formatSeconds(timeoutMs)} for another run on ${target} to finish${holder ? ` (${describeHolder(holder)})` : ''}…`),
  };
  if (timeout !== undefined) options.timeoutMs = parseLockTimeout(timeout);
  return options;
}
