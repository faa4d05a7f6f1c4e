import type { CanActivate, Type } from '@nestjs/common';
import { StrategosDashboardConfigError } from './strategos-dashboard-config.error';
import type { DashboardRequest, StrategosDashboardOptions } from './strategos-dashboard-options.interface';

/** The validated dashboard options, with defaults. */
export interface DashboardSettings {
  /** Starts with `/`, no trailing `/`. */
  readonly path: string;
  readonly readOnly: boolean;
  readonly guard?: Type<CanActivate> | CanActivate;
  readonly actor: (request: DashboardRequest) => string | null;
  readonly liveBatchMs: number;
  readonly assetsDir?: string;
}

const PATH_PATTERN = /^(\/[A-Za-z0-9._~-]+)+$/;

/**
 * Validates `forRoot` options.
 * @throws StrategosDashboardConfigError `INVALID_DASHBOARD_OPTIONS` naming the option.
 */
export function resolveDashboardSettings(options: StrategosDashboardOptions): DashboardSettings {
  const path = (options.path ?? '/strategos').replace(/\/+$/, '');
  if (!PATH_PATTERN.test(path)) throw new StrategosDashboardConfigError('path', `'${options.path}' is not a path like '/strategos'`);
  const liveBatchMs = options.liveBatchMs ?? 500;
  if (!Number.isInteger(liveBatchMs) || liveBatchMs < 50 || liveBatchMs > 60_000)
    throw new StrategosDashboardConfigError('liveBatchMs', 'must be an integer from 50 to 60000');
  if (options.guard !== undefined && typeof options.guard !== 'function' && typeof options.guard.canActivate !== 'function')
    throw new StrategosDashboardConfigError('guard', 'must be a Nest guard class or an object with canActivate()');
  const custom = options.actor;
  return {
    path,
    readOnly: options.readOnly ?? false,
    ...(options.guard ? { guard: options.guard } : {}),
    actor: custom ? (request) => custom(request) ?? null : defaultActor,
    liveBatchMs,
    ...(options.assetsDir ? { assetsDir: options.assetsDir } : {}),
  };
}

/** `request.user` as a name: a string, or the first string among its usual identity fields. */
export function defaultActor(request: DashboardRequest): string | null {
  const user = request.user;
  if (typeof user === 'string') return user;
  if (typeof user !== 'object' || user === null) return null;
  const fields = user as Record<string, unknown>;
  for (const key of ['username', 'name', 'email', 'id', 'sub']) {
    const value = fields[key];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return null;
}
