import { resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validateManifest } from '../src/manifest/validate-manifest.js';
import { runCliForTest } from './support/run-cli.js';

const fixture = resolve('fixtures', 'generated.yaml');

describe('paxos-onboard validate --expand', () => {
  it('prints the expanded manifest as YAML on stdout, PII masked, and the verdict on stderr', async () => {
    const run = await runCliForTest(['validate', '--expand', fixture]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^✓ 1 file, 267 resources valid/);
    const expanded = parse(run.stdout) as { persons: Record<string, Record<string, unknown>>; institutions: Record<string, unknown> };
    expect(Object.keys(expanded.persons)).toHaveLength(200);
    expect(Object.keys(expanded)).not.toContain('x-person');
    const trader = expanded.persons['trader-17'];
    expect(trader?.['cip_id']).toMatch(/^\*\*\*-\*\*-\d{4}$/);
    expect(trader?.['date_of_birth']).toBe('****-**-**');
    expect(trader?.['first_name']).toMatch(/^[A-Z]/);
    expect(Object.keys(expanded.institutions)).toEqual(['Alder-capital', 'Birch-capital', 'Cedar-capital', 'Dogwood-capital', 'Elm-capital']);
  });

  it('--show-sensitive prints ids and dates as generated, and the output validates as a manifest itself', async () => {
    const run = await runCliForTest(['validate', '--expand', '--show-sensitive', fixture]);
    const expanded = parse(run.stdout) as { persons: Record<string, Record<string, unknown>> };
    expect(expanded.persons['trader-17']?.['cip_id']).toMatch(/^9\d\d-\d\d-\d{4}$/);
    expect(expanded.persons['trader-17']?.['date_of_birth']).toMatch(/^\d{4}-\d\d-\d\d$/);
    const again = await validateManifest([{ yaml: run.stdout }], { env: {} });
    expect(again.issues).toEqual([]);
    expect(again.model?.resources.size).toBe(267);
  });
});
