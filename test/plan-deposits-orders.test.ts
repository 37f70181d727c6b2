/**
 * End to end against the emulator: deposits, which have no key, match their
 * profile's deposit transfers as a multiset; orders are found by ref_id,
 * cannot change, and an open one with `await_fill` is waited for.
 */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../src/plan/plan-types.js';
import { applySequentially, planInline, usePlanWorld } from './support/plan-world.js';
import { header, personYaml } from './support/plan-manifests.js';

const actionsOf = (plan: Plan) => Object.fromEntries(plan.steps.map((step) => [step.address, step.action]));
const funded = (deposits: string, orders = '') =>
  `${header()}persons:\n${personYaml('alice')}\naccounts:\n  main: { identity: person.alice, profile: true }\ndeposits:\n${deposits}\n${orders ? `orders:\n${orders}\n` : ''}`;
const twoEqualDeposits = '  first: { profile: account.main, asset: USD, amount: "100" }\n  second: { profile: account.main, asset: USD, amount: "100.00" }';

describe('plan: deposits and orders', () => {
  const world = usePlanWorld();

  const planOf = (text: string) => planInline(world.client, text);

  it('counts equal deposits as a multiset: one transfer matches one of two equal deposits', async () => {
    const { model, plan, world: remote } = await planOf(funded(twoEqualDeposits));
    await applySequentially(model, plan, remote, world.client, { only: ['person.alice', 'account.main', 'deposit.first'] });

    const partly = await planOf(funded(twoEqualDeposits));
    expect(actionsOf(partly.plan)).toEqual({ 'person.alice': 'noop', 'account.main': 'noop', 'deposit.first': 'noop', 'deposit.second': 'create' });
    await applySequentially(partly.model, partly.plan, partly.world, world.client);
    expect(actionsOf((await planOf(funded(twoEqualDeposits))).plan)).toMatchObject({ 'deposit.first': 'noop', 'deposit.second': 'noop' });
  });

  it('finds orders by ref_id, blocks a changed one, and waits for an open one with await_fill', async () => {
    const deposit = '  usd: { profile: account.main, asset: USD, amount: "10000" }';
    const resting = (price: string, awaitFill = false) =>
      `  bid: { profile: account.main, market: BTCUSD, side: BUY, type: LIMIT, price: "${price}", base_amount: "0.01"${awaitFill ? ', await_fill: true' : ''} }`;
    const { model, plan, world: remote } = await planOf(funded(deposit, resting('20000')));
    expect(plan.steps.map((step) => step.address)).toEqual(['person.alice', 'account.main', 'deposit.usd', 'order.bid']);
    // Neither has a key a reviewer could recognise, so the plan says what they are.
    expect(plan.steps.slice(2).map((step) => step.description)).toEqual(['10000 USD', 'BUY BTCUSD LIMIT 0.01 @ 20000']);
    await applySequentially(model, plan, remote, world.client);

    const found = (await planOf(funded(deposit, resting('20000.0')))).plan.steps[3];
    expect(found).toMatchObject({ action: 'noop', remoteStatus: 'OPEN', remoteKey: 'ref_id=t-order-bid' });
    const changed = (await planOf(funded(deposit, resting('21000')))).plan.steps[3];
    expect(changed).toMatchObject({ action: 'blocked', changes: [{ path: '/price', before: '20000', after: '21000', updatable: false, sensitive: false }] });
    expect(changed?.reason).toContain('`/price`');
    expect((await planOf(funded(deposit, resting('20000', true)))).plan.steps[3]).toMatchObject({ action: 'wait', remoteStatus: 'OPEN' });
  });
});
