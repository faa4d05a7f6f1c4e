import { ForbiddenException, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { CSRF_HEADER, DASHBOARD_SETTINGS } from './dashboard.constants';
import type { DashboardSettings } from './dashboard-settings';
import { csrfCookie, isSameOrigin, sameToken } from './csrf-token';

interface GuardedRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** Refuses every action (403 `DASHBOARD_READ_ONLY`) when the dashboard is read only. */
@Injectable()
export class ReadOnlyGuard implements CanActivate {
  constructor(@Inject(DASHBOARD_SETTINGS) private readonly settings: DashboardSettings) {}

  canActivate(): boolean {
    if (this.settings.readOnly)
      throw new ForbiddenException({ code: 'DASHBOARD_READ_ONLY', message: 'The dashboard is read only: actions are disabled' });
    return true;
  }
}

/**
 * CSRF protection of the actions: the request must come from the same origin and repeat, in the
 * `x-strategos-csrf` header, the token of the dashboard's cookie (double submit); else 403 `CSRF_REJECTED`.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { headers } = context.switchToHttp().getRequest<GuardedRequest>();
    const cookie = csrfCookie(headers);
    const header = headers[CSRF_HEADER];
    if (!isSameOrigin(headers)) throw new ForbiddenException({ code: 'CSRF_REJECTED', message: 'Cross-origin action refused' });
    if (!cookie || typeof header !== 'string' || !sameToken(cookie, header))
      throw new ForbiddenException({
        code: 'CSRF_REJECTED',
        message: `Missing or wrong ${CSRF_HEADER} header: reload the dashboard and try again`,
      });
    return true;
  }
}
