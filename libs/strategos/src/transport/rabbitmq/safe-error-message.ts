/**
 * The message of an error, fit for a log line: the password of `url` is masked should a library have
 * quoted the URL.
 */
export function safeErrorMessage(error: unknown, url: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const password = passwordOf(url);
  return password ? message.split(password).join('***') : message;
}

function passwordOf(url: string): string | undefined {
  try {
    const { password } = new URL(url);
    return password.length > 0 ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
