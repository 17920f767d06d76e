// Runs the real chatd binary for the e2e suite, and restarts it on the same ports.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { waitUntil } from './wait.ts';

export interface ChatdOptions {
  binary: string;
  port: number;
  metricsPort: number;
  databaseUrl: string;
  webRoot: string;
  allowedOrigins: string;
  logFile: string;
  extraEnv?: Record<string, string>;
}

export function chatdBinary(repoRoot: string): string {
  const bin = process.env.CHATD_BIN ?? resolve(repoRoot, 'build/release/src/chatd');
  if (!existsSync(bin)) {
    throw new Error(`chatd binary not found at ${bin}: build it with scripts/build.sh release or set CHATD_BIN`);
  }
  return bin;
}

export class Chatd {
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);
  private exitCode: number | null = null;

  constructor(private readonly options: ChatdOptions) {}

  get origin(): string {
    return `http://chat.example.test:${this.options.port}`;
  }

  async start(): Promise<void> {
    const o = this.options;
    const log = createWriteStream(o.logFile, { flags: 'a' });
    const child = spawn(o.binary, [], {
      env: {
        ...process.env,
        DATABASE_URL: o.databaseUrl,
        CHATD_LISTEN_ADDRESS: '127.0.0.1',
        CHATD_PORT: String(o.port),
        CHATD_METRICS_PORT: String(o.metricsPort),
        CHATD_WEB_ROOT: o.webRoot,
        CHATD_ALLOWED_ORIGINS: o.allowedOrigins,
        CHATD_LOG_LEVEL: 'info',
        CHATD_DRAIN_SECONDS: '2',
        CHATD_THREADS: '2',
        ...o.extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    this.exitCode = null;
    this.exited = new Promise((done) =>
      child.on('exit', (code) => {
        this.exitCode = code ?? -1;
        done(code);
      }),
    );
    await waitUntil(
      `chatd to be ready on port ${o.port} (log: ${o.logFile})`,
      async () => {
        if (this.exitCode !== null) {
          throw new Error(`chatd exited with ${this.exitCode}; see ${o.logFile}`);
        }
        const res = await fetch(`http://127.0.0.1:${o.metricsPort}/readyz`);
        return res.status === 200;
      },
      60_000,
    );
  }

  /** SIGTERM and wait for the process to exit (it drains first). */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === null) {
      return;
    }
    this.child = null;
    if (this.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await this.exited;
      clearTimeout(timer);
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}
