import { csrfCookie, csrfSetCookie, isSameOrigin, newCsrfToken, sameToken } from './csrf-token';

describe('CSRF token', () => {
  it('reads its cookie among others and compares tokens', () => {
    const token = newCsrfToken();
    expect(csrfCookie({ cookie: `a=1; strategos_dashboard_csrf=${token}; b=2` })).toBe(token);
    expect(csrfCookie({})).toBeUndefined();
    expect(sameToken(token, token)).toBe(true);
    expect(sameToken(token, `${token}x`)).toBe(false);
    expect(csrfSetCookie('t', '/strategos', true)).toBe('strategos_dashboard_csrf=t; Path=/strategos; HttpOnly; SameSite=Strict; Secure');
  });

  it('accepts the same origin only', () => {
    expect(isSameOrigin({ host: 'app:3000', origin: 'http://app:3000' })).toBe(true);
    expect(isSameOrigin({ host: 'app:3000', origin: 'http://evil:3000' })).toBe(false);
    expect(isSameOrigin({ host: 'app:3000', referer: 'http://app:3000/strategos/' })).toBe(true);
    expect(isSameOrigin({ host: 'app:3000', 'sec-fetch-site': 'cross-site' })).toBe(false);
    expect(isSameOrigin({ host: 'app:3000' })).toBe(true);
  });
});
