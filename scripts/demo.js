// The README's demo: the order workflow end to end on RabbitMQ and PostgreSQL (an API and two workers,
// each worker running half of the steps), or in one process in memory when a server is not reachable.
const { spawn, spawnSync } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PORT = Number(process.env.PORT ?? 3400);
// Two workers, each running some of the steps: workers scale per step.
const WORKER_1_STEPS = 'ValidateOrder,ProcessPayment,RefundPayment';
const WORKER_2_STEPS = 'ReserveInventory,ReleaseInventory,FulfillOrder,SendDownloadLink,SendConfirmation,SendFailureNotification';

function reachable(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => (socket.destroy(), resolve(true)));
    socket.setTimeout(2000, () => (socket.destroy(), resolve(false)));
    socket.on('error', () => resolve(false));
  });
}

function start(name, entry, env) {
  const child = spawn(process.execPath, ['-r', path.join(ROOT, 'scripts', 'paths.js'), path.join(ROOT, 'dist', entry)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise((resolve, reject) => {
    const onLine = (chunk) => {
      const text = chunk.toString();
      if (process.env.DEMO_VERBOSE) process.stdout.write(`[${name}] ${text}`);
      if (/listening|worker-ready/.test(text)) resolve();
    };
    child.stdout.on('data', onLine);
    child.stderr.on('data', (chunk) => process.env.DEMO_VERBOSE && process.stderr.write(`[${name}] ${chunk}`));
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready (DEMO_VERBOSE=1 shows its output)`)));
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return { name, child, ready, exited };
}

async function distributedDemo() {
  const env = { RABBITMQ_URL, DATABASE_URL, STRATEGOS_NAMESPACE: 'strategos-demo', STRATEGOS_SCHEMA: 'strategos_demo' };
  const processes = [
    start('worker-1', 'apps/order-worker/src/main.js', { ...env, STRATEGOS_STEPS: WORKER_1_STEPS }),
    start('worker-2', 'apps/order-worker/src/main.js', { ...env, STRATEGOS_STEPS: WORKER_2_STEPS }),
    start('order-api', 'apps/order-api/src/main.js', { ...env, STRATEGOS_STEPS: 'none', PORT: String(PORT) }),
  ];
  try {
    await Promise.all(processes.map((p) => p.ready));
    console.log(`order-api on http://127.0.0.1:${PORT}\nworker-1 runs ${WORKER_1_STEPS}\nworker-2 runs ${WORKER_2_STEPS}\n`);
    const { demoOrders } = require(path.join(ROOT, 'dist', 'libs', 'orders', 'src', 'testing', 'order-fixtures.js'));
    const placed = [];
    for (const order of demoOrders()) {
      const response = await fetch(`http://127.0.0.1:${PORT}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(order),
      });
      const body = await response.json();
      if (response.status !== 202) throw new Error(`POST /orders answered ${response.status}: ${JSON.stringify(body)}`);
      console.log(`POST /orders ${order.orderId} -> 202 ${body.workflowId}`);
      placed.push({ orderId: order.orderId, workflowId: body.workflowId, phases: [] });
    }
    const deadline = Date.now() + 30_000;
    while (placed.some((p) => p.status === undefined || p.status === 'running') && Date.now() < deadline) {
      for (const p of placed) {
        const view = await (await fetch(`http://127.0.0.1:${PORT}/orders/${p.workflowId}`)).json();
        if (p.phases[p.phases.length - 1] !== view.phase) {
          p.phases.push(view.phase);
          console.log(`  ${p.orderId}: ${view.phase} (${view.status})`);
        }
        p.status = view.status;
        p.error = view.error;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    console.log('\nFinal status:');
    for (const p of placed)
      console.log(`  ${p.orderId}  ${String(p.status).padEnd(11)}${p.error ? `  ${p.error.code} at ${p.error.step}` : ''}`);
  } finally {
    for (const p of processes) p.child.kill('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
    console.log('\nStopped the API and both workers (SIGTERM: consumers stopped, in-flight steps finished, connections closed).');
  }
}

async function main() {
  const build = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (build.status !== 0) console.warn('tsc reported type errors (see above); running what it emitted');
  const [rabbit, database] = await Promise.all([reachable(RABBITMQ_URL), reachable(DATABASE_URL)]);
  if (rabbit && database) return distributedDemo();
  console.log(
    [
      `RabbitMQ (${new URL(RABBITMQ_URL).host}) is ${rabbit ? 'reachable' : 'NOT reachable'}; PostgreSQL (${new URL(DATABASE_URL).host}) is ${database ? 'reachable' : 'NOT reachable'}.`,
      'Running the demo in ONE process on the in-memory transport and store instead.',
      'To run it on the real servers: start them (`rabbitmq-server -detached` and',
      '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, or `docker compose -f docker/compose.yml up -d`),',
      'or point RABBITMQ_URL / DATABASE_URL at yours, then run `npm run demo` again.',
      '',
    ].join('\n'),
  );
  const child = spawn(
    process.execPath,
    ['-r', path.join(ROOT, 'scripts', 'paths.js'), path.join(ROOT, 'dist', 'apps', 'order-service', 'src', 'main.js')],
    { cwd: ROOT, stdio: 'inherit' },
  );
  await new Promise((resolve) => child.on('exit', resolve));
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
