import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPaxosClient } from '../paxos/create-paxos-client.js';
import { injectPaxos, paxosGlobalSetup, type PaxosFixture } from './index.js';

const fixture = fileURLToPath(new URL('../../fixtures/person-brokerage.yaml', import.meta.url));

async function setUp(options: Parameters<typeof paxosGlobalSetup>[0]): Promise<{ provided: PaxosFixture | undefined; teardown: () => Promise<void> }> {
  let provided: PaxosFixture | undefined;
  const teardown = await paxosGlobalSetup(options)({ provide: (_key, value) => (provided = value) });
  return { provided, teardown };
}

describe('paxosGlobalSetup', () => {
  it('provides an emulator seeded with the manifests, which only its credentials open, and stops it at teardown', async () => {
    const { provided, teardown } = await setUp({ manifests: [fixture] });
    try {
      expect(provided?.outputs['person.carol']).toMatchObject({ outcome: 'created', status: 'APPROVED' });
      const client = (clientSecret: string) =>
        createPaxosClient({
          target: { kind: 'url', environment: 'local', apiUrl: provided?.apiUrl ?? '', tokenUrl: provided?.tokenUrl ?? '', description: 'test' },
          credentials: { clientId: provided?.clientId ?? '', clientSecret },
          pacing: 'off',
        });
      const good = client(provided?.clientSecret ?? '');
      const identity = await good.request<{ ref_id: string }>({ method: 'GET', path: `identity/identities/${provided?.outputs['person.carol']?.id}` });
      await good.close();
      // Not isolated: the run has the emulator to itself, so ref_ids are the manifest's.
      expect(identity.ref_id).toBe('seed-person-carol');
      const bad = client('wrong');
      await expect(bad.request({ method: 'GET', path: 'identity/identities' })).rejects.toMatchObject({ code: expect.stringMatching(/auth|token|credentials/) });
      await bad.close();
    } finally {
      await teardown();
    }
    expect(existsSync(provided?.stateDir ?? '')).toBe(false);
    await expect(fetch(`${provided?.url}/v2/identity/identities`)).rejects.toThrow();
  });

  it('fails the setup, naming what did not apply, when a manifest does not apply', async () => {
    // No funds in the book: Paxos refuses the buy (403 insufficient funds).
    const broke = {
      yaml: `version: 1\nenvironment: local\nprofiles:\n  book: {}\norders:\n  buy: { profile: profile.book, market: BTCUSD, side: BUY, type: MARKET, quote_amount: "100" }\n`,
    };
    await expect(setUp({ manifests: [broke] })).rejects.toMatchObject({ code: 'fixtures.seed_failed', message: expect.stringContaining('order.buy: failed') });
  });

  it('fails the setup on a manifest that does not validate', async () => {
    await expect(setUp({ manifests: [{ yaml: 'version: 1\npersons:\n  alice: { first_name: Alice }\n' }] })).rejects.toMatchObject({ code: 'manifest.invalid' });
  });
});

describe('injectPaxos', () => {
  it('says how to configure the setup when nothing was provided', () => {
    expect(() => injectPaxos()).toThrow(expect.objectContaining({ code: 'fixtures.no_global_setup', message: expect.stringContaining('test.globalSetup') }));
  });
});
