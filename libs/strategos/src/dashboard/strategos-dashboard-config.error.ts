/** An invalid `StrategosDashboardModule.forRoot` option, or a Strategos setup the dashboard cannot work with. */
export class StrategosDashboardConfigError extends Error {
  override readonly name = 'StrategosDashboardConfigError';
  readonly code = 'INVALID_DASHBOARD_OPTIONS';

  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`StrategosDashboardModule option ${option}: ${message}`);
  }
}
