import { defaultActor, resolveDashboardSettings } from './dashboard-settings';

describe('resolveDashboardSettings', () => {
  it('defaults to /strategos, actions on, batches every 500 ms', () => {
    expect(resolveDashboardSettings({})).toMatchObject({ path: '/strategos', readOnly: false, liveBatchMs: 500 });
    expect(resolveDashboardSettings({ path: '/ops/sagas/' }).path).toBe('/ops/sagas');
  });

  it.each([
    [{ path: 'strategos' }, 'path'],
    [{ path: '/a b' }, 'path'],
    [{ liveBatchMs: 10 }, 'liveBatchMs'],
    [{ guard: {} as never }, 'guard'],
  ])('refuses %j naming the option', (options, option) => {
    expect(() => resolveDashboardSettings(options)).toThrow(expect.objectContaining({ code: 'INVALID_DASHBOARD_OPTIONS', option }));
  });

  it('names the actor from the request user, or with the actor option', () => {
    expect(defaultActor({ headers: {}, user: 'ana' })).toBe('ana');
    expect(defaultActor({ headers: {}, user: { sub: 'u-1', email: 'ana@example.com' } })).toBe('ana@example.com');
    expect(defaultActor({ headers: {} })).toBeNull();
    const settings = resolveDashboardSettings({ actor: (request) => String(request.headers['x-user'] ?? '') || undefined });
    expect(settings.actor({ headers: { 'x-user': 'bob' } })).toBe('bob');
    expect(settings.actor({ headers: {} })).toBeNull();
  });
});
