// `npm run demo`: the order workflow end to end on RabbitMQ and PostgreSQL (an HTTP API and two workers,
// each running some of the steps), or in one process in memory when the servers are not reachable.
// `npm run demo -- --keep` leaves the API and the workers running. See the README's "The demo" section.
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');
const amqp = require('amqplib');
const { Client } = require('pg');

const ROOT = path.join(__dirname, '..');
const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const NAMESPACE = process.env.STRATEGOS_NAMESPACE ?? 'strategos-demo';
const SCHEMA = process.env.STRATEGOS_SCHEMA ?? 'strategos_demo';
const PORT = Number(process.env.PORT ?? 3400);
const KEEP = process.argv.includes('--keep');
/** How long to wait for the servers' handshakes (they may be starting, e.g. right after `docker compose up`). */
const SERVER_WAIT_MS = Number(process.env.DEMO_SERVER_WAIT_MS ?? 20_000);
const RUN_TIMEOUT_MS = Number(process.env.DEMO_TIMEOUT_MS ?? 60_000);
// Two workers, each running some of the steps: workers scale per step. A physical order's payment (worker-1) and
// stock reservation (worker-2) are two fork paths, so they run at the same time on different workers.
const WORKERS = [
  { name: 'worker-1', steps: 'ValidateOrder,ProcessPayment,RefundPayment,ProcessDigitalPayment,RefundDigitalPayment' },
  { name: 'worker-2', steps: 'ReserveInventory,ReleaseInventory,FulfillOrder,SendDownloadLink,SendConfirmation,SendFailureNotification' },
];
const TERMINAL = new Set(['Completed', 'Failed', 'Cancelled']);

/** The URL without its password, for messages. */
function redacted(url) {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString().replace(/\/$/, '');
}

/** A known cause in a process's output or an error, as advice; undefined when none is recognised. */
function adviceFor(text) {
  if (/ACCESS_REFUSED|ACCESS-REFUSED|403/.test(text) && /amqp|RabbitMQ|ACCESS/i.test(text))
    return `RabbitMQ refused the login (ACCESS_REFUSED): check the credentials in RABBITMQ_URL (${redacted(RABBITMQ_URL)})`;
  if (/password authentication failed|28P01|no pg_hba\.conf entry|28000/.test(text))
    return `PostgreSQL refused the login: check the user and password in DATABASE_URL (${redacted(DATABASE_URL)})`;
  if (/database ".*" does not exist|3D000/.test(text))
    return `PostgreSQL has no such database: check DATABASE_URL (${redacted(DATABASE_URL)})`;
  if (/EADDRINUSE/.test(text)) return `port ${PORT} is in use: set PORT to a free one`;
  if (/NOT_ALLOWED|vhost/.test(text))
    return `RabbitMQ refused the virtual host: check the path of RABBITMQ_URL (${redacted(RABBITMQ_URL)})`;
  return undefined;
}

class FatalError extends Error {}

function isUnreachable(error) {
  return ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN'].includes(error?.code);
}

/**
 * Waits for an AMQP handshake (not only an open port): resolves true once a connection opens, false when
 * nothing listens, and throws a FatalError with the cause when the broker refuses (credentials, vhost).
 */
async function rabbitReady() {
  const deadline = Date.now() + SERVER_WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      const connection = await amqp.connect(RABBITMQ_URL, {
        timeout: 5_000,
        clientProperties: { connection_name: 'strategos-demo-check' },
      });
      await connection.close();
      return true;
    } catch (error) {
      const text = `${error?.message ?? error}`;
      const advice = adviceFor(text);
      if (advice) throw new FatalError(`${advice}\n  (${text.split('\n')[0]})`);
      if (isUnreachable(error) && attempt === 1) return false;
      if (Date.now() > deadline)
        throw new FatalError(
          `RabbitMQ at ${redacted(RABBITMQ_URL)} did not complete an AMQP handshake within ${SERVER_WAIT_MS} ms: ${text}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** The same for PostgreSQL: a login and `SELECT 1`. */
async function postgresReady() {
  const deadline = Date.now() + SERVER_WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    const client = new Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch (error) {
      const text = `${error?.code ?? ''} ${error?.message ?? error}`;
      const advice = adviceFor(text);
      if (advice) throw new FatalError(`${advice}\n  (${error?.message})`);
      if (isUnreachable(error) && attempt === 1) return false;
      if (Date.now() > deadline)
        throw new FatalError(`PostgreSQL at ${redacted(DATABASE_URL)} did not accept a login within ${SERVER_WAIT_MS} ms: ${text}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** Starts a compiled app; keeps its last lines of output so that a failure can show its cause. */
function start(name, entry, env) {
  const child = spawn(process.execPath, ['-r', path.join(ROOT, 'scripts', 'paths.js'), path.join(ROOT, 'dist', entry)], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  let ready = false;
  const readiness = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim() === '') continue;
        lines.push(line);
        if (lines.length > 40) lines.shift();
        if (process.env.DEMO_VERBOSE) process.stdout.write(`[${name}] ${line}\n`);
        if (/"event":"(listening|worker-ready)"/.test(line)) ((ready = true), resolve());
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, signal) => {
      if (ready) return;
      const output = lines.join('\n');
      const advice = adviceFor(output);
      const cause = lines.filter((line) => /error|refused|fail|exception/i.test(line)).slice(-3);
      reject(
        new FatalError(
          [
            `${name} exited with ${code ?? signal} before it was ready.`,
            advice ? `Cause: ${advice}` : 'Its last lines:',
            ...(advice ? cause : lines.slice(-10)).map((line) => `  ${line}`),
          ].join('\n'),
        ),
      );
    });
  });
  readiness.catch(() => undefined);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return { name, child, ready: readiness, exited };
}

/** Subscribes to the workflow events on the bus, before any order is placed; calls `onEvent(routingKey, event)`. */
async function subscribeToEvents(onEvent) {
  const connection = await amqp.connect(RABBITMQ_URL, { clientProperties: { connection_name: 'strategos-demo-events' } });
  const channel = await connection.createChannel();
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, `${NAMESPACE}.events`, 'process-order.#');
  await channel.consume(
    queue,
    (message) => {
      if (!message) return;
      const { pattern, data } = JSON.parse(message.content.toString('utf8'));
      onEvent(pattern, data);
    },
    { noAck: true },
  );
  return () => connection.close().catch(() => undefined);
}

async function distributedDemo() {
  const env = { RABBITMQ_URL, DATABASE_URL, STRATEGOS_NAMESPACE: NAMESPACE, STRATEGOS_SCHEMA: SCHEMA };
  console.log(
    `Namespace ${NAMESPACE} (queues and exchanges), schema ${SCHEMA} (tables); set STRATEGOS_NAMESPACE / STRATEGOS_SCHEMA to change them.`,
  );
  const processes = [
    ...WORKERS.map((worker) => start(worker.name, 'apps/order-worker/src/main.js', { ...env, STRATEGOS_STEPS: worker.steps })),
    start('order-api', 'apps/order-api/src/main.js', { ...env, STRATEGOS_STEPS: 'none', PORT: String(PORT) }),
  ];
  let unsubscribe = () => Promise.resolve();
  let keep = false;
  try {
    await Promise.all(processes.map((p) => p.ready));
    const api = `http://127.0.0.1:${PORT}`;
    console.log(`order-api on ${api} (pid ${processes[2].child.pid})`);
    for (const [index, worker] of WORKERS.entries()) console.log(`${worker.name} (pid ${processes[index].child.pid}) runs ${worker.steps}`);
    console.log('');

    const { demoScenarios } = require(path.join(ROOT, 'dist', 'libs', 'orders', 'src', 'testing', 'demo-scenarios.js'));
    const { runPath } = require(path.join(ROOT, 'dist', 'libs', 'orders', 'src', 'testing', 'run-path.js'));
    const runs = new Map(); // workflowId -> { orderId, shows, events, done }
    const early = []; // events that arrive before POST /orders answered with their workflowId
    const record = (event) => {
      const run = runs.get(event.workflowId);
      if (!run) return early.push(event);
      run.events.push(event);
      if (TERMINAL.has(event.kind)) run.done = true;
      // An order over the approval limit waits for a manager: the demo plays the manager and approves it.
      if (event.kind === 'Waiting' && event.data.waitingFor === 'manager-approval') {
        void fetch(`${api}/orders/${event.workflowId}/approve`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ by: 'demo-manager', comment: 'approved by the demo' }),
        }).then(
          (response) => console.log(`POST /orders/${event.workflowId}/approve -> ${response.status} (the demo approves as a manager)`),
          (error) => console.error(`approve failed: ${error.message}`),
        );
      }
    };
    unsubscribe = await subscribeToEvents((_pattern, event) => record(event));

    for (const { order, shows } of demoScenarios()) {
      const response = await fetch(`${api}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(order),
      });
      const body = await response.json();
      if (response.status !== 202) throw new FatalError(`POST /orders answered ${response.status}: ${JSON.stringify(body)}`);
      runs.set(body.workflowId, { orderId: order.orderId, shows, events: [], done: false });
      console.log(`POST /orders ${order.orderId} -> 202, workflow ${body.workflowId}\n  shows ${shows}`);
      early.splice(0).forEach(record);
    }

    const deadline = Date.now() + RUN_TIMEOUT_MS;
    while ([...runs.values()].some((run) => !run.done) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));

    console.log("\nEach order's path, from the events on the bus (exchange " + `${NAMESPACE}.events):`);
    for (const [workflowId, run] of runs) {
      console.log(`  ${run.orderId}  ${runPath(run.events) || '(no event yet)'}${run.done ? '' : '  ... still running'}`);
      console.log(`             ${run.shows}`);
      void workflowId;
    }
    const [firstId] = runs.keys();
    const failed = [...runs.entries()].find(([, run]) => run.events.some((event) => event.kind === 'Compensated'));
    const flags = `--schema ${SCHEMA} --namespace ${NAMESPACE}`;
    console.log('\nInspect a run with the CLI (same servers, this namespace and schema):');
    console.log(`  npm run -s strategos -- status ${firstId} ${flags}`);
    if (failed) console.log(`  npm run -s strategos -- history ${failed[0]} ${flags}`);
    console.log(`  npm run -s strategos -- list --status compensated,failed ${flags}`);
    if ([...runs.values()].some((run) => !run.done)) throw new FatalError(`Some runs did not finish within ${RUN_TIMEOUT_MS} ms`);

    if (KEEP) {
      keep = true;
      console.log(
        [
          '',
          `Left running (--keep): the API on ${api}`,
          `  the dashboard: ${api}/strategos/`,
          `  curl -s -X POST ${api}/orders -H 'content-type: application/json' -d '${JSON.stringify(demoScenarios()[0].order)}'`,
          `  curl -s ${api}/orders/<workflowId>      curl -s ${api}/orders/<workflowId>/status      curl -s ${api}/health`,
          ...WORKERS.map((worker, index) => `  ${worker.name} pid ${processes[index].child.pid}`),
          'Press Ctrl+C to stop them.',
        ].join('\n'),
      );
      await new Promise((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
        for (const p of processes) p.exited.then(resolve);
      });
    }
  } finally {
    await unsubscribe();
    for (const p of processes) p.child.kill('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
    console.log(
      `\nStopped the API and both workers${keep ? '' : ' (SIGTERM: consumers stopped, in-flight steps finished, connections closed)'}.`,
    );
  }
}

function build() {
  if (process.env.DEMO_SKIP_BUILD === '1') return;
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--noCheck'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new FatalError('Compiling the apps failed (see above)');
  if (KEEP) buildDashboard();
}

/** The dashboard's front end, which `--keep` leaves served by the API (`npm run build:dashboard`), unless built. */
function buildDashboard() {
  if (require('node:fs').existsSync(path.join(ROOT, 'dist', 'libs', 'strategos', 'dashboard-ui', '.vite', 'manifest.json'))) return;
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const config = path.join(ROOT, 'libs', 'strategos', 'dashboard-ui', 'vite.config.mjs');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', config], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new FatalError('Building the dashboard failed (see above)');
}

async function main() {
  build();
  const [rabbit, database] = await Promise.all([rabbitReady(), postgresReady()]);
  if (rabbit && database) return distributedDemo();
  console.log(
    [
      `RabbitMQ (${redacted(RABBITMQ_URL)}) is ${rabbit ? 'reachable' : 'NOT reachable'}; PostgreSQL (${redacted(DATABASE_URL)}) is ${database ? 'reachable' : 'NOT reachable'}.`,
      'Running the demo in ONE process on the in-memory transport and store instead.',
      'To run it on the real servers: start them (`rabbitmq-server -detached` and',
      '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, or `docker compose -f docker/compose.yml up -d --wait`),',
      'or point RABBITMQ_URL / DATABASE_URL at yours, then run `npm run demo` again.',
      '',
    ].join('\n'),
  );
  const child = spawn(
    process.execPath,
    ['-r', path.join(ROOT, 'scripts', 'paths.js'), path.join(ROOT, 'dist', 'apps', 'order-service', 'src', 'main.js')],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  const code = await new Promise((resolve) => child.on('exit', resolve));
  if (code) process.exitCode = code;
}

main().catch((error) => {
  console.error(error instanceof FatalError ? `\n${error.message}` : (error?.stack ?? String(error)));
  process.exitCode = 1;
});
