/**
 * `url` fit for a message: its password replaced by `***`. A string that does not parse as a URL is not
 * shown at all (it might be a password pasted in the wrong place).
 * @example redactedUrl('amqp://guest:guest@127.0.0.1:5672') // 'amqp://guest:***@127.0.0.1:5672'
 */
export function redactedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(a URL that does not parse)';
  }
  if (parsed.password.length > 0) parsed.password = '***';
  return parsed.toString();
}

/**
 * The message of a connection error, with every occurrence of `url`'s password masked (some libraries
 * quote the URL). Node reports a refused connection to a name with several addresses as an
 * `AggregateError` without a message: its inner errors are used then.
 */
export function connectionErrorMessage(error: unknown, url: string): string {
  const password = passwordOf(url);
  const message = describe(error);
  return password ? message.split(password).join('***') : message;
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.message.length === 0 && error.errors.length > 0) {
    return [...new Set(error.errors.map(describe))].join('; ');
  }
  if (error instanceof Error) {
    if (error.message.length > 0) return error.message;
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error.name;
  }
  return String(error);
}

function passwordOf(url: string): string | undefined {
  try {
    const { password } = new URL(url);
    return password.length > 0 ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
