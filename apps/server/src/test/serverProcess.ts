import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sleep } from './clients.js';
import { TEST_JWT_SECRET } from './testServer.js';

const SERVER_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The real server as a separate process (src/main.ts through tsx), so a test can kill it the
 * hard way, mid-write, and start it again on the same port and database.
 */
export class ServerProcess {
  private child: ChildProcess | undefined;
  readonly url: string;

  /** What the server wrote to stdout (its pino log), when `captureOutput` is set. */
  output = '';

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly options: { nodeArgs?: string[]; captureOutput?: boolean } = {},
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    const nodeArgs = ['--import', 'tsx', '--conditions=@parley/source', ...(this.options.nodeArgs ?? []), 'src/main.ts'];
    const child = spawn(process.execPath, nodeArgs, {
      cwd: SERVER_ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(this.port),
        JWT_SECRET: TEST_JWT_SECRET,
        LOG_LEVEL: 'error',
        AUTH_RATE_LIMIT_MAX: '100000',
        SEND_RATE_PER_SECOND: '100000',
        SEND_RATE_BURST: '100000',
        // Budgets out of the way unless a test is about them (it sets its own).
        BUDGET_SEND_MESSAGE: '100000/100000',
        BUDGET_MARK_AS_READ: '100000/100000',
        BUDGET_MESSAGE_DELIVERED: '100000/100000',
        BUDGET_REST: '100000/100000',
        MAX_QUEUED_PER_USER: '100000',
        ...this.env,
      },
      stdio: ['ignore', this.options.captureOutput ? 'pipe' : 'ignore', 'inherit'],
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    this.child = child;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      try {
        if ((await fetch(`${this.url}/api/health`)).ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error('server did not become healthy');
  }

  /** Sends a signal and resolves with the exit code, for a process that should end by itself on it. */
  signalAndWaitForExit(signal: NodeJS.Signals): Promise<number | null> {
    return this.signal(signal);
  }

  /** SIGSTOP: the process freezes (a long GC pause, a stalled VM); its connections stay open. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** SIGCONT after pause(). */
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** SIGKILL: no drain, no goodbye; whatever was in flight is cut off. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM: the graceful path. Resolves with the exit code. */
  stop(): Promise<number | null> {
    return this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    this.child = undefined;
    if (!child) return null;
    if (child.exitCode !== null) return child.exitCode;
    return new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill(signal);
    });
  }
}
