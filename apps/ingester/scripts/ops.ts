// Operator accounts from the command line. Run from the repository root:
//
//   npm run ops -- operator add --email a@b.c --role admin [--shops demo,shop2] [--password-stdin | --generate-password]
//   npm run ops -- operator list [--json]
//   npm run ops -- operator disable --email a@b.c
//   npm run ops -- operator reset-password --email a@b.c [--password-stdin | --generate-password]
//   npm run ops -- alerts test-notification
//
// The password is prompted on a terminal (empty: generate one), read from stdin with --password-stdin (one
// line), or generated and printed once (--generate-password, or when stdin is not a terminal). Disabling an
// operator or resetting its password ends its sessions. Every change is in the audit log. `alerts
// test-notification` queues a test alert notification for every configured channel (ALERT_WEBHOOK_URL,
// ALERT_SMTP_URL + ALERT_EMAIL_TO) through the outbox, as a real alert's, and makes the first attempt at once.
//
// It reads the ingester's configuration (loadConfig: DATABASE_URL, SHOPS, …) and applies pending migrations
// like the ingester does, so it works on a fresh clone: without DATABASE_URL it uses the embedded PostgreSQL
// (started for the command, or the running ingester's). `npm run ops` is
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register apps/ingester/scripts/ops.ts
import 'reflect-metadata';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { Logger, type LoggerService } from '@nestjs/common';
import { AlertNotifier } from '../src/alerts/alert-notifier';
import { AuditService } from '../src/audit/audit.service';
import { ConfigError, loadConfig, type IngesterConfig } from '../src/config/config';
import { createDataSource } from '../src/database/data-source';
import { EMBEDDED_DATABASE, openDatabaseServer, type DatabaseServer } from '../src/database/database-server';
import { runMigrations } from '../src/database/migrate';
import { EventStore } from '../src/events/event-store';
import { DEFAULT_NOTIFICATION_OPTIONS } from '../src/notifications/notification-options';
import { NotificationsService } from '../src/notifications/notifications.service';
import { Metrics } from '../src/observability/metrics';
import { ShopsService } from '../src/shops/shops.service';
import { OperatorError, OperatorsService, type Actor, type OperatorView } from '../src/operators/operators.service';
import { generatePassword } from '../src/operators/passwords';

const USAGE = `Usage:
  npm run ops -- operator add --email <email> --role <viewer|operator|finance|admin> [--shops <id,id>] [--password-stdin | --generate-password]
  npm run ops -- operator list [--json]
  npm run ops -- operator disable --email <email>
  npm run ops -- operator reset-password --email <email> [--password-stdin | --generate-password]
  npm run ops -- alerts test-notification`;

class UsageError extends Error {}

/** Messages (database start, migrations) go to stderr; stdout carries only the command's answer. */
const stderrLogger: LoggerService = {
  log: () => undefined,
  error: (message: unknown) => process.stderr.write(`error: ${String(message)}\n`),
  warn: (message: unknown) => process.stderr.write(`warning: ${String(message)}\n`),
};

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      shops: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      'generate-password': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const [noun, verb, ...rest] = positionals;
  if (noun === 'alerts') {
    if (verb !== 'test-notification' || rest.length) throw new UsageError(`unknown command "${positionals.join(' ')}"`);
    return testAlertNotification();
  }
  if (noun !== 'operator' || !verb || rest.length) throw new UsageError(`unknown command "${positionals.join(' ')}"`);
  if (!['add', 'list', 'disable', 'reset-password'].includes(verb)) throw new UsageError(`unknown command "operator ${verb}"`);
  const email = (): string => {
    if (!values.email) throw new UsageError('--email is required');
    return values.email;
  };
  if (values['password-stdin'] && values['generate-password']) throw new UsageError('give --password-stdin or --generate-password, not both');

  const config = readConfig();
  Logger.overrideLogger(stderrLogger);
  await withOperators(config, async (operators) => {
    const actor: Actor = { via: 'cli', osUser: osUser() };
    switch (verb) {
      case 'add': {
        if (!values.role) throw new UsageError('--role is required');
        const address = email();
        const shopIds = values.shops === undefined ? null : values.shops.split(',').map((s) => s.trim()).filter(Boolean);
        const { password, generated } = await choosePassword(values['password-stdin'], values['generate-password']);
        const created = await operators.create({ email: address, role: values.role, shopIds, password }, actor);
        console.log(`Created operator ${created.email} (role ${created.role}, shops: ${created.shopIds?.join(', ') ?? 'all'})`);
        if (generated) console.log(`Password (shown only now): ${password}`);
        return;
      }
      case 'list': {
        const list = await operators.list();
        console.log(values.json ? JSON.stringify(list, null, 2) : table(list));
        return;
      }
      case 'disable': {
        const { operator, sessionsEnded, alreadyDisabled } = await operators.disable(email(), actor);
        console.log(alreadyDisabled ? `${operator.email} was already disabled` : `Disabled ${operator.email}; ended ${sessionsEnded} session(s)`);
        return;
      }
      case 'reset-password': {
        const { password, generated } = await choosePassword(values['password-stdin'], values['generate-password']);
        const { operator, sessionsEnded } = await operators.resetPassword(email(), password, actor);
        console.log(`New password set for ${operator.email}; ended ${sessionsEnded} session(s)`);
        if (generated) console.log(`Password (shown only now): ${password}`);
        return;
      }
    }
  });
}

/** `alerts test-notification`: exit status 0 when every channel took it at the first attempt. */
async function testAlertNotification(): Promise<void> {
  const config = readConfig();
  Logger.overrideLogger(stderrLogger);
  const server = await openDatabase(config);
  try {
    const dataSource = await createDataSource({ url: server.url, poolSize: 2 }).initialize();
    try {
      await runMigrations(dataSource);
      const worker = new NotificationsService(dataSource, new EventStore(dataSource), new ShopsService(config.shops), new Metrics(), DEFAULT_NOTIFICATION_OPTIONS);
      const notifier = new AlertNotifier(worker, dataSource, config);
      notifier.onModuleInit();
      let deliveries;
      try {
        deliveries = await notifier.sendTest();
      } catch (error) {
        throw new OperatorError(error instanceof Error ? error.message : String(error));
      }
      for (const d of deliveries) {
        if (d.delivered) console.log(`Sent the test notification by ${d.channel} to ${d.target} (outbox ${d.outboxId})`);
        else {
          const retry = d.nextAttemptAt ? `; the ingester's outbox worker retries it from ${d.nextAttemptAt.toISOString()}` : '';
          console.log(`The test notification by ${d.channel} to ${d.target} failed: ${d.error ?? 'not attempted (not due yet)'} (outbox ${d.outboxId}${retry})`);
          process.exitCode = 1;
        }
      }
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await server.stop();
  }
}

function readConfig(): IngesterConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new OperatorError(error.message);
    throw error;
  }
}

/** The ingester's database (migrated), an OperatorsService on it, and everything closed afterwards. */
async function withOperators(config: IngesterConfig, work: (operators: OperatorsService) => Promise<void>): Promise<void> {
  const server = await openDatabase(config);
  try {
    const dataSource = await createDataSource({ url: server.url, poolSize: 2 }).initialize();
    try {
      await runMigrations(dataSource);
      await work(new OperatorsService(dataSource, new AuditService(dataSource), config));
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await server.stop();
  }
}

async function openDatabase(config: IngesterConfig): Promise<DatabaseServer> {
  try {
    return await openDatabaseServer(config.database, stderrLogger);
  } catch (error) {
    // A running ingester owns the embedded server on this data directory: use it (the embedded server's
    // local-only credentials, see scripts/embedded-postgres.cjs).
    if (config.database.url || !(error instanceof Error) || !/in use by another running process/.test(error.message)) throw error;
    return { url: `postgres://postgres:postgres@127.0.0.1:${config.database.embedded.port}/${EMBEDDED_DATABASE}`, stop: async () => undefined };
  }
}

async function choosePassword(fromStdin: boolean, generate: boolean): Promise<{ password: string; generated: boolean }> {
  if (fromStdin) return { password: await readStdinLine(), generated: false };
  if (generate || !process.stdin.isTTY) return { password: generatePassword(), generated: true };
  const password = await promptHidden('Password (at least 12 characters; empty: generate one): ');
  if (password === '') return { password: generatePassword(), generated: true };
  if ((await promptHidden('Repeat the password: ')) !== password) throw new OperatorError('the passwords differ');
  return { password, generated: false };
}

/** All of stdin, without the final line break (`printf '%s\n' "$PW" | npm run ops -- … --password-stdin`). */
async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text.includes('\n')) throw new OperatorError('--password-stdin expects one line');
  return text;
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return (finish(), resolve(value));
        if (ch === '\u0003' || ch === '\u0004') return (finish(), reject(new OperatorError('cancelled')));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

function table(operators: OperatorView[]): string {
  if (operators.length === 0) return 'No operators yet. Add one: npm run ops -- operator add --email <email> --role admin';
  const rows = [
    ['EMAIL', 'ROLE', 'SHOPS', 'STATUS', 'CREATED', 'LAST LOGIN'],
    ...operators.map((o) => [
      o.email,
      o.role,
      o.shopIds?.join(',') ?? 'all',
      o.disabledAt ? `disabled ${iso(o.disabledAt)}` : 'active',
      iso(o.createdAt),
      o.lastLoginAt ? iso(o.lastLoginAt) : '-',
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function osUser(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
}

main(process.argv.slice(2)).then(
  () => undefined,
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      process.exitCode = 2;
    } else if (error instanceof OperatorError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
