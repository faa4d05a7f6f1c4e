import type { Provider } from '@nestjs/common';
import type { StrategosModuleOptions, WorkflowDefinition } from '@strategos/nestjs';
import { startTestApp, type TestApp, type TestEnvironment } from './strategos-test-app';
import { TcpProxy } from './tcp-proxy';

/** A test app whose PostgreSQL connections go through a {@link TcpProxy} that the test cuts and restores. */
export interface AppBehindStoreProxy {
  readonly app: TestApp;
  readonly proxy: TcpProxy;
  /** Restores the proxy (so that the app can shut down cleanly), closes the app, then the proxy. */
  close(): Promise<void>;
}

/**
 * Starts a test app on `environment` with its store reached through a new proxy. The connection timeout stays the
 * default (10 s): the proxy refuses connections while cut, so none waits for it, and a short one made ordinary
 * connections fail when the process stalls on a loaded machine.
 */
export async function startAppBehindStoreProxy(
  environment: TestEnvironment,
  workflows: readonly WorkflowDefinition[],
  providers: readonly Provider[],
  options: Partial<StrategosModuleOptions> = {},
): Promise<AppBehindStoreProxy> {
  const proxy = await TcpProxy.start(environment.databaseUrl);
  let app: TestApp;
  try {
    app = await startTestApp(environment, workflows, providers, {
      postgres: { url: proxy.rewrite(environment.databaseUrl), schema: environment.schema },
      ...options,
    });
  } catch (error) {
    await proxy.close();
    throw error;
  }
  return {
    app,
    proxy,
    close: async () => {
      await proxy.restore().catch(() => undefined);
      await app.close();
      await proxy.close();
    },
  };
}
