import { readFile, writeFile, mkdir, appendFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Argv, CommandModule } from 'yargs';
import { PaxosOnboardError } from '../../errors.js';
import { writeLine, type CliIo } from '../io.js';

interface InitArgs {
  dir: string;
}

/** Where `init` puts things, relative to its directory: the workflow watches `paxos/**`. */
export const initLayout = {
  manifest: join('paxos', 'onboarding.yaml'),
  workflow: join('.github', 'workflows', 'paxos-onboard.yml'),
  gitignore: '.gitignore',
} as const;

/** The example workflow this package ships (`examples/github-actions/`), found from this module in src/ and in dist/ alike. */
const workflowTemplate = fileURLToPath(new URL('../../../examples/github-actions/paxos-onboard.yml', import.meta.url));

/**
 * The starter manifest: one person, verified by you, with an account, a
 * profile and sandbox funds. Personal data comes from `${env:}` (repository
 * secrets in CI), never from git; the `$schema` line gives editors completion.
 */
export function starterManifest(schemaPath: string): string {
  return `# yaml-language-server: $schema=${schemaPath}
#
# A starter world for paxos-onboard. Personal data is read from the environment
# (in CI: repository secrets of the same names), never written here:
#   export ALICE_SSN=111-22-3344 ALICE_DOB=1990-01-31
#   npx paxos-onboard validate --offline paxos     # no secrets needed
#   npx paxos-onboard plan paxos                   # the embedded emulator, or the sandbox with PAXOS_CLIENT_ID/SECRET
#   npx paxos-onboard apply paxos
version: 1
environment: sandbox
options:
  ref_id_prefix: starter-

persons:
  alice:
    first_name: Alice
    last_name: Smith
    date_of_birth: \${env:ALICE_DOB}
    nationality: USA
    cip_id: \${env:ALICE_SSN}
    cip_id_type: SSN
    cip_id_country: USA
    email: alice@example.com
    address: { address1: 1 Example Street, city: New York, province: NY, country: USA, zip_code: "10001" }
    verification:
      verifier_type: PASSTHROUGH
      passthrough_verifier_type: JUMIO
      passthrough_verified_at: "2024-01-01T00:00:00Z"
      passthrough_verification_status: APPROVED
    customer_due_diligence:
      estimated_yearly_income: INCOME_50K_TO_100K
      expected_transfer_value: TRANSFER_VALUE_0_TO_25K
      source_of_wealth: EMPLOYMENT_INCOME
      employment_status: FULL_TIME
      employment_industry_sector: INFORMATION
      purpose_of_account: INVESTMENT_TRADING
    tax_details_not_required: true

accounts:
  alice-brokerage:
    identity: person.alice
    description: Alice's brokerage account
    profile: true

deposits:
  alice-usd: { profile: account.alice-brokerage, asset: USD, amount: "1000" }
`;
}

export interface InitResult {
  /** Files written, relative to the directory. */
  written: string[];
  /** Files left as they were because they exist already. */
  kept: string[];
}

/**
 * `paxos-onboard init [dir]`: a starter manifest, the `.paxos-onboard/` line
 * in `.gitignore` (the tool's local state: journal, emulator state, saved
 * plans hold ids and must not be committed), and the pull-request workflow.
 * Never overwrites a file: what exists is kept and reported.
 */
export async function initProject(dir: string): Promise<InitResult> {
  const result: InitResult = { written: [], kept: [] };
  const manifestPath = join(dir, initLayout.manifest);
  const schemaPath = relative(dirname(manifestPath), join(dir, 'node_modules', 'paxos-onboard', 'schemas', 'manifest.schema.json')).split('\\').join('/');
  await writeNew(dir, initLayout.manifest, starterManifest(schemaPath), result);
  await writeNew(dir, initLayout.workflow, await readFile(workflowTemplate, 'utf8'), result);

  const gitignore = join(dir, initLayout.gitignore);
  const current = await readFile(gitignore, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (current !== undefined && current.split(/\r?\n/).some((line) => /^\/?\.paxos-onboard\/?$/.test(line.trim()))) result.kept.push(initLayout.gitignore);
  else {
    const separator = current === undefined || current === '' || current.endsWith('\n') ? '' : '\n';
    await appendFile(gitignore, `${separator}# paxos-onboard's local state (journal, emulator state): never committed\n.paxos-onboard/\n`);
    result.written.push(initLayout.gitignore);
  }
  return result;
}

async function writeNew(dir: string, file: string, text: string, result: InitResult): Promise<void> {
  const path = join(dir, file);
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(path, text, { flag: 'wx' });
    result.written.push(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new PaxosOnboardError('init.unwritable', `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
    }
    result.kept.push(file);
  }
}

export function initCommand(io: CliIo): CommandModule<object, InitArgs> {
  return {
    command: 'init [dir]',
    describe: 'Scaffold a starter manifest, a .gitignore entry for .paxos-onboard/, and the pull-request workflow',
    builder: (yargs: Argv) => yargs.positional('dir', { type: 'string', default: '.', describe: 'the repository to set up' }) as unknown as Argv<InitArgs>,
    handler: async (args) => {
      const dir = resolve(io.cwd, args.dir);
      const result = await initProject(dir);
      for (const file of result.written) writeLine(io.stdout, `  wrote ${file}`);
      for (const file of result.kept) writeLine(io.stdout, `  kept  ${file} (exists)`);
      writeLine(io.stdout, `\nNext: set ALICE_SSN and ALICE_DOB, then 'npx paxos-onboard plan ${relative(io.cwd, join(dir, 'paxos')) || 'paxos'}'. In GitHub, add the repository secrets PAXOS_CLIENT_ID, PAXOS_CLIENT_SECRET, ALICE_SSN and ALICE_DOB.`);
      io.exitCode = 0;
    },
  };
}
