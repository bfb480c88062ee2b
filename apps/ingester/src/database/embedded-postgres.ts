import { fork } from 'node:child_process';
import { join } from 'node:path';
import { findRepoRoot } from '../config/repo-root';

export interface EmbeddedPostgresOptions {
  /** PostgreSQL data directory; initialised on first use. */
  dataDir: string;
  port: number;
  /** Created when missing. */
  database: string;
  /** Tests: no fsync, and the data directory is deleted on stop. */
  throwaway?: boolean;
}

export interface EmbeddedPostgres {
  url: string;
  /** Stops the server and waits until it is down. Safe to call more than once. */
  stop(): Promise<void>;
}

type ChildMessage = { type: 'ready'; url: string } | { type: 'error'; message: string };

const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

/** The child process script; a plain .cjs file so the bundle, the tests and scripts can all fork it. */
export function embeddedPostgresScript(): string {
  return join(findRepoRoot(), 'apps/ingester/scripts/embedded-postgres.cjs');
}

/**
 * Starts PostgreSQL in a child process (see the script for why and for the IPC protocol). The child is
 * detached from the terminal's process group, so Ctrl-C reaches only us and the server is stopped after
 * the app has closed its connections. `onUnexpectedExit` is called if the server goes away on its own.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
  onUnexpectedExit?: (reason: string) => void,
): Promise<EmbeddedPostgres> {
  const child = fork(embeddedPostgresScript(), [JSON.stringify(options)], {
    detached: true,
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`)),
  );

  let timer: NodeJS.Timeout | undefined;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (message: ChildMessage) =>
        message.type === 'ready' ? resolve(message.url) : reject(new Error(`embedded PostgreSQL: ${message.message}`)),
      );
      child.once('error', reject);
      void exited.then((how) => reject(new Error(`embedded PostgreSQL exited before it was ready (${how})`)));
      timer = setTimeout(() => reject(new Error(`embedded PostgreSQL was not ready within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    });
    let stopping: Promise<void> | undefined;
    void exited.then((how) => {
      if (!stopping) onUnexpectedExit?.(`embedded PostgreSQL stopped unexpectedly (${how})`);
    });
    return {
      url,
      stop: () => (stopping ??= stopChild()),
    };
  } catch (error) {
    await stopChild();
    throw error;
  } finally {
    clearTimeout(timer);
  }

  async function stopChild(): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send({ type: 'stop' });
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS, 'timeout').unref());
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      // The server outlives a killed child; the next start finds it through postmaster.pid and stops it.
      child.kill('SIGKILL');
      throw new Error(`embedded PostgreSQL did not stop within ${STOP_TIMEOUT_MS / 1000} s`);
    }
  }
}
