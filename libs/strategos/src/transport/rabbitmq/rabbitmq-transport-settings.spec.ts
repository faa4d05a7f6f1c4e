import { resolveRabbitMqTransportSettings } from './rabbitmq-transport-settings';

describe('resolveRabbitMqTransportSettings', () => {
  const url = 'amqp://guest:guest@127.0.0.1:5672';

  it('applies the defaults', () => {
    expect(resolveRabbitMqTransportSettings({ url })).toEqual({
      url,
      queueType: 'quorum',
      reconnect: { initialDelayMs: 100, maxDelayMs: 5000 },
      connectionName: 'strategos',
      unavailableTimeoutMs: 30_000,
      shutdownGraceMs: 10_000,
      subscriptions: [],
      limits: { maxMessageBytes: 1_048_576, maxHeaderBytes: 16_384, maxJsonDepth: 64 },
    });
  });

  it.each([
    [{ url: 'http://localhost' }, 'url'],
    [{ url, reconnect: { initialDelayMs: 0 } }, 'reconnect.initialDelayMs'],
    [{ url, reconnect: { initialDelayMs: 500, maxDelayMs: 100 } }, 'reconnect.maxDelayMs'],
    [{ url, unavailableTimeoutMs: Number.NaN }, 'unavailableTimeoutMs'],
    [{ url, subscriptions: [{ queue: '', routingKeys: ['a.#'] }] }, 'subscriptions[0].queue'],
    [{ url, limits: { maxMessageBytes: 0 } }, 'limits.maxMessageBytes'],
    [{ url, limits: { maxHeaderBytes: 1_000_000 } }, 'limits.maxHeaderBytes'],
    [{ url, limits: { maxJsonDepth: 1.5 } }, 'limits.maxJsonDepth'],
  ])('names the invalid option (%j)', (options, option) => {
    expect(() => resolveRabbitMqTransportSettings(options)).toThrow(expect.objectContaining({ code: 'INVALID_TRANSPORT_OPTIONS', option }));
  });
});
