/**
 * The transport id of {@link StrategosEventsServer}: pass it to `@EventPattern(pattern, STRATEGOS_EVENTS_TRANSPORT)`
 * in a hybrid app so that only this strategy serves the handler.
 */
export const STRATEGOS_EVENTS_TRANSPORT: unique symbol = Symbol('STRATEGOS_EVENTS_TRANSPORT');
