import type { IncomingMessage } from 'node:http';
import { jsonDepthExceeds } from '@strategos/nestjs';

/** Deepest JSON nesting a request body may have (an order nests three levels). */
export const MAX_REQUEST_JSON_DEPTH = 32;

/**
 * A `verify` hook of the JSON body parser: refuses, with a 400 and before anything recursive parses or
 * transforms it, a body nested deeper than {@link MAX_REQUEST_JSON_DEPTH} (5,000 levels overflowed the
 * validation's stack: a 500).
 */
export function refuseDeepJson(_request: IncomingMessage, _response: unknown, body: Buffer): void {
  if (jsonDepthExceeds(body.toString('utf8'), MAX_REQUEST_JSON_DEPTH))
    throw Object.assign(new Error(`JSON body nests deeper than ${MAX_REQUEST_JSON_DEPTH} levels`), { status: 400, expose: true });
}
