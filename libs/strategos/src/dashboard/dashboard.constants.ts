/** Token of the resolved dashboard settings. */
export const DASHBOARD_SETTINGS = Symbol('strategos:dashboard-settings');

/** The cookie holding the CSRF token (HttpOnly, SameSite=Strict, scoped to the dashboard's path). */
export const CSRF_COOKIE = 'strategos_dashboard_csrf';

/** The header every action request repeats the CSRF token in (double submit). */
export const CSRF_HEADER = 'x-strategos-csrf';
