import type { CanActivate, Type } from '@nestjs/common';

/** A request as the dashboard's `actor` option sees it: what Express and the guard put on it. */
export interface DashboardRequest {
  readonly user?: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * Options of `StrategosDashboardModule.forRoot`.
 *
 * @example StrategosDashboardModule.forRoot({ path: '/strategos', guard: AdminGuard })
 */
export interface StrategosDashboardOptions {
  /**
   * Where the dashboard is served: its page at `path`, its API under `path/api`.
   * @default '/strategos'
   */
  readonly path?: string;
  /**
   * Hides the actions (cancel, retry, signal, approve, reject, replay, discard) and refuses them with 403
   * `DASHBOARD_READ_ONLY`.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * A Nest guard (class or instance) every action must pass, e.g. the application's auth guard. The user it
   * puts on the request (`request.user`) is recorded as the action's actor. Reads are not guarded by it:
   * protect the whole path with the application's own middleware when reads are sensitive.
   */
  readonly guard?: Type<CanActivate> | CanActivate;
  /**
   * Who did an action, for the run's history.
   * @default `request.user` as a string, or its `username`, `name`, `email`, `id` or `sub`; else null
   */
  readonly actor?: (request: DashboardRequest) => string | null | undefined;
  /**
   * How often live updates are sent to the browser, in ms: the changes of that interval go as one batch.
   * @default 500
   */
  readonly liveBatchMs?: number;
  /**
   * The folder of the built front end.
   * @default the `dashboard-ui` folder built with the package
   */
  readonly assetsDir?: string;
}
