/** Code points PostgreSQL cannot store in text or jsonb: NUL, and UTF-16 surrogates that are not part of a pair. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/** The text with every code point PostgreSQL cannot store replaced by U+FFFD (for messages meant for humans). */
export function toStorableText(text: string): string {
  return text.replace(UNSTORABLE_ALL, '\uFFFD');
}

/** Whether PostgreSQL can store this string (in a text column or as a jsonb string or key). */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/**
 * The path (`order.items[2].sku`) of the first string or key in a JSON value that PostgreSQL cannot store
 * (NUL, lone surrogate), or null when there is none. A cheap pre-check before a write; iterative, so any depth
 * is safe.
 */
export function findUnstorableText(value: unknown, root = ''): string | null {
  const stack: { readonly value: unknown; readonly path: string }[] = [{ value, path: root }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop() as { value: unknown; path: string };
    if (typeof current === 'string') {
      if (!isStorableText(current)) return path;
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => stack.push({ value: item, path: `${path}[${index}]` }));
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        const itemPath = path === '' ? key : `${path}.${key}`;
        if (!isStorableText(key)) return itemPath;
        stack.push({ value: item, path: itemPath });
      }
    }
  }
  return null;
}
