/** Writes a progress line to stderr (stdout carries only the result JSON). */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
