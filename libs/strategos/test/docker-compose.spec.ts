import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface ComposeService {
  readonly image: string;
  readonly ports: readonly string[];
  readonly healthcheck: { readonly test: readonly string[]; readonly interval: string; readonly retries: number };
}

const ROOT = join(__dirname, '..', '..', '..');
const compose = parse(readFileSync(join(ROOT, 'docker', 'compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };

/** Compose's `${NAME:-default}` interpolation, for the port mappings. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{(\w+):-([^}]*)\}/g, (_, name: string, fallback: string) => env[name] ?? fallback);
}

describe('docker/compose.yml', () => {
  it('declares RabbitMQ and PostgreSQL with health checks of real readiness', () => {
    const { rabbitmq, postgres } = compose.services;
    expect(rabbitmq?.image).toMatch(/^rabbitmq:\d/);
    expect(rabbitmq?.healthcheck.test.join(' ')).toMatch(
      /rabbitmq-diagnostics -q check_running && rabbitmq-diagnostics -q check_port_connectivity/,
    );
    expect(postgres?.image).toMatch(/^postgres:\d/);
    expect(postgres?.healthcheck.test).toEqual(expect.arrayContaining(['CMD', 'pg_isready', '-h', '127.0.0.1']));
    for (const service of [rabbitmq, postgres]) expect(service?.healthcheck.retries).toBeGreaterThan(0);
  });

  it('maps configurable host ports, defaulting to the standard ones', () => {
    const ports = [...compose.services.rabbitmq!.ports, ...compose.services.postgres!.ports];
    expect(ports.map((port) => interpolate(port, {}))).toEqual(['127.0.0.1:5672:5672', '127.0.0.1:15672:15672', '127.0.0.1:5432:5432']);
    const moved = { RABBITMQ_PORT: '5673', RABBITMQ_MANAGEMENT_PORT: '15673', POSTGRES_PORT: '5433' };
    expect(ports.map((port) => interpolate(port, moved))).toEqual(['127.0.0.1:5673:5672', '127.0.0.1:15673:15672', '127.0.0.1:5433:5432']);
  });

  it('is started with --wait wherever the repository tells how to start it', () => {
    for (const file of ['README.md', join('scripts', 'demo.js')]) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const commands = text.match(/docker compose -f docker\/compose\.yml up[^`\n]*/g) ?? [];
      expect(commands.length).toBeGreaterThan(0);
      for (const command of commands) expect(command).toContain('up -d --wait');
    }
  });
});
