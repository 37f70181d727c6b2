import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import type { ImportWorldOptions } from '../../import/import-world.js';
import { formatRequestLogLine } from '../../paxos/request-log.js';
import { writeLine, type CliIo } from '../io.js';
import { lockOptions, lockTimeoutOption } from '../lock-notice.js';

interface ImportArgs {
  target?: string;
  'ref-id-prefix'?: string;
  ids?: string;
  'show-sensitive': boolean;
  verbose: boolean;
  'lock-timeout'?: string;
}

const epilogue = `Writes a manifest (YAML, on stdout) of the target's identities (with their
institution members), accounts (profile: true when they have one) and
standalone profiles, with their own ref_ids, so that applied to the same target
it plans no change. Deposits and orders are not imported: a deposit has no key
to find it again, and orders are history.

Personal data (cip ids, dates of birth, tax ids) is written as \${env:NAME};
--show-sensitive lists the values as NAME=value lines on stderr, e.g.
  paxos-onboard import --target sandbox --ref-id-prefix seed- --show-sensitive > world.yaml 2> world.env`;

/** `paxos-onboard import`: the remote world as a manifest to start from. */
export function importCommand(io: CliIo): CommandModule<object, ImportArgs> {
  return {
    command: 'import',
    describe: 'Write a manifest (YAML) of what a target holds: identities, members, accounts, profiles',
    builder: (yargs: Argv) =>
      yargs
        .option('target', { type: 'string', describe: 'local | sandbox | production | an emulator URL (default: local, or sandbox when PAXOS_CLIENT_ID is set)' })
        .option('ref-id-prefix', { type: 'string', describe: 'only objects whose ref_id (or nickname) starts with this, and the identities they need' })
        .option('ids', { type: 'string', describe: 'only these identities (comma-separated Paxos ids), with their members and accounts' })
        .option('show-sensitive', { type: 'boolean', default: false, describe: 'list the personal values as NAME=value lines on stderr' })
        .option('verbose', { type: 'boolean', default: false, describe: 'log each API request on stderr' })
        .option('lock-timeout', lockTimeoutOption)
        .conflicts('ref-id-prefix', 'ids')
        .epilogue(epilogue) as unknown as Argv<ImportArgs>,
    handler: async (args) => {
      const options: ImportWorldOptions = {
        env: io.env,
        cwd: io.cwd,
        onTarget: (target) => writeLine(io.stderr, `Target: ${target.description}`),
        onRequest: (entry) => {
          if (args.verbose || entry.status === 429) writeLine(io.stderr, formatRequestLogLine(entry));
        },
        lock: lockOptions(io, args['lock-timeout']),
      };
      if (io.signal !== undefined) options.signal = io.signal;
      if (args.target !== undefined) options.target = args.target;
      if (args['ref-id-prefix'] !== undefined) options.refIdPrefix = args['ref-id-prefix'];
      if (args.ids !== undefined) {
        const ids = args.ids.split(',').map((id) => id.trim()).filter((id) => id !== '');
        if (ids.length === 0) throw new UsageError('--ids needs at least one identity id');
        options.ids = ids;
      }
      const { importWorld } = await import('../../import/import-world.js');
      const result = await importWorld(options);
      io.stdout.write(result.yaml);
      const { persons, institutions, accounts, profiles } = result.counts;
      writeLine(io.stderr, `Imported ${persons} person(s), ${institutions} institution(s), ${accounts} account(s), ${profiles} profile(s); ${result.sensitive.length} personal value(s) as \${env:} placeholders.`);
      if (args['show-sensitive']) for (const { name, value } of result.sensitive) writeLine(io.stderr, `${name}=${value}`);
      else if (result.sensitive.length > 0) writeLine(io.stderr, 'Run again with --show-sensitive to list their values (NAME=value, on stderr).');
    },
  };
}
