import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { join } from 'node:path';
import { freePort } from './support/free-port';
import { createTestEnvironment, type TestEnvironment } from './support/strategos-test-app';

const ROOT = join(__dirname, '..', '..', '..');

/** Runs `npm run demo` (the script, on the dist/ the global setup compiled) with `env`; resolves with its exit code and output. */
function runDemo(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'demo.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', DEMO_SKIP_BUILD: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run demo', () => {
  let environment: TestEnvironment;

  beforeAll(async () => {
    environment = await createTestEnvironment();
  });

  afterAll(async () => {
    await environment.cleanup();
  });

  it("runs every demo order to its end on the real servers, showing each one's path from the bus, what it shows, and the CLI command", async () => {
    const { code, output } = await runDemo({ ...environment.env, PORT: String(await freePort()) });
    expect(output).toContain(`Namespace ${environment.namespace} (queues and exchanges), schema ${environment.schema} (tables)`);
    // Payment and reservation are fork paths on different workers: the other path of a failed one either never
    // started (`(not run)`) or completed and is undone.
    expect(output).toMatch(
      /demo-1001 {2}ValidateOrder -> fork\[ProcessPayment \| ReserveInventory\] -> FulfillOrder -> SendConfirmation -> Completed\n +the happy path/,
    );
    expect(output).toMatch(
      /demo-1003 {2}ValidateOrder -> fork\[ProcessPayment \(failed\) \| ReserveInventory( \(not run\)\] -> SendFailureNotification -> Failed|\] -> Compensating -> ReleaseInventory -> SendFailureNotification -> Compensated) \(PAYMENT_FAILED\)\n +a declined payment/,
    );
    expect(output).toMatch(
      /demo-1004 {2}ValidateOrder -> fork\[ProcessPayment( \(not run\) \| ReserveInventory \(failed\)\] -> SendFailureNotification -> Failed| \| ReserveInventory \(failed\)\] -> Compensating -> RefundPayment -> SendFailureNotification -> Compensated) \(OUT_OF_STOCK\)\n +out of stock/,
    );
    expect(output).toMatch(
      /demo-1005 {2}ValidateOrder -> ProcessDigitalPayment -> SendDownloadLink -> SendConfirmation -> Completed\n +the branch/,
    );
    expect(output).toMatch(
      /demo-1006 {2}ValidateOrder -> AwaitApproval\(manager-approval\) -> fork\[ProcessPayment \| ReserveInventory\] -> FulfillOrder -> SendConfirmation -> Completed\n +over the approval limit/,
    );
    expect(output).toMatch(
      new RegExp(`npm run -s strategos -- status [0-9a-f-]{36} --schema ${environment.schema} --namespace ${environment.namespace}`),
    );
    expect(output).not.toContain('still running');
    expect(code).toBe(0);
  });

  it('prints the cause when the broker refuses the credentials, and exits 1', async () => {
    const url = new URL(environment.rabbitmqUrl);
    url.password = 'certainly-not-the-password';
    const { code, output } = await runDemo({ ...environment.env, RABBITMQ_URL: url.toString(), PORT: String(await freePort()) });
    expect(output).toContain('RabbitMQ refused the login (ACCESS_REFUSED): check the credentials in RABBITMQ_URL');
    expect(output).not.toContain('certainly-not-the-password');
    expect(code).toBe(1);
  });

  it("prints the cause when a process exits before it is ready (the API's port is taken)", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = blocker.address() as net.AddressInfo;
      const { code, output } = await runDemo({ ...environment.env, PORT: String(port) });
      expect(output).toMatch(/order-api exited with 1 before it was ready\.\nCause: port \d+ is in use: set PORT to a free one/);
      expect(code).toBe(1);
    } finally {
      blocker.close();
    }
  });
});
