/**
 * Minimal routes for the platform tests, so they exercise the server (auth,
 * validation, faults, persistence, events) independently of the domain routes.
 * Profiles live in the events feed (`profile.created`), which is platform
 * state: persistence and the feed then have something to keep.
 */
import type { Route } from '../../src/emulator/framework.js';
import { problems } from '../../src/emulator/framework.js';

export interface ProfileRecord {
  id: string;
  nickname: string;
  type: 'NORMAL';
}

/** `POST /v2/profiles` and `GET /v2/profiles/:profile_id`, recording each created profile as a `profile.created` event. */
export function createProfileRoutes(): Route[] {
  const profilesOf = (events: { type: string; object: Record<string, unknown> }[]) =>
    events.filter((event) => event.type === 'profile.created').map((event) => event.object as unknown as ProfileRecord);
  return [
    {
      method: 'POST',
      path: '/v2/profiles',
      operationId: 'CreateProfile',
      handler: (context) => {
        const { nickname } = context.body as { nickname: string };
        const existing = profilesOf(context.state.events).find((profile) => profile.nickname === nickname);
        if (existing) throw problems.alreadyExists('nickname already exists', existing.id);
        const profile: ProfileRecord = { id: context.newId(), nickname, type: 'NORMAL' };
        context.emitEvent('profile.created', { ...profile });
        return { body: profile };
      },
    },
    {
      method: 'GET',
      path: '/v2/profiles/:profile_id',
      operationId: 'GetProfile',
      handler: (context) => {
        const profile = profilesOf(context.state.events).find((candidate) => candidate.id === context.params.profile_id);
        if (!profile) throw problems.notFound(`profile ${context.params.profile_id ?? ''} not found`);
        return { body: profile };
      },
    },
    { method: 'GET', path: '/v2/markets', operationId: 'ListMarkets', public: true, handler: () => ({ body: { markets: [] } }) },
  ];
}
