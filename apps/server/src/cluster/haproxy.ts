import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../db/resolveDatabase.js';

/** The one HAProxy configuration: compose uses it as is, local runs with their own ports. */
export const HAPROXY_CONFIG = path.join(REPO_ROOT, 'deploy', 'haproxy.cfg');

export interface LocalNode {
  name: string;
  port: number;
}

/**
 * deploy/haproxy.cfg for nodes on this machine: the same settings, with the frontend bound to
 * 127.0.0.1:`port`, the Docker resolvers dropped, and one server line per local node.
 */
export function localHaproxyConfig(template: string, port: number, nodes: readonly LocalNode[]): string {
  const lines = template.split('\n');
  const out: string[] = [];
  let inResolvers = false;
  for (const line of lines) {
    if (/^resolvers\s/.test(line)) {
      inResolvers = true;
      continue;
    }
    if (inResolvers) {
      if (/^\S/.test(line)) inResolvers = false;
      else continue;
    }
    if (/^\s+bind\s/.test(line)) out.push(`    bind 127.0.0.1:${port}`);
    else if (/^\s+server\s/.test(line)) continue;
    else out.push(line.replace(/\s+resolvers docker init-addr \S+/, ''));
  }
  const servers = nodes.map((node) => `    server ${node.name} 127.0.0.1:${node.port} check cookie ${node.name}`);
  return `${out.join('\n').trimEnd()}\n${servers.join('\n')}\n`;
}

/** HAProxy (Debian's /usr/sbin/haproxy) in the foreground, for `pnpm cluster` and the tests. */
export class HaproxyProcess {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'parley-haproxy-'));

  constructor(
    readonly port: number,
    private readonly nodes: readonly LocalNode[],
    private readonly options: {
      balance?: string;
      /** Tests: refuse every WebSocket upgrade, as some corporate proxies do. */
      refuseWebSockets?: boolean;
      onOutput?: (line: string) => void;
    } = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    let config = localHaproxyConfig(readFileSync(HAPROXY_CONFIG, 'utf8'), this.port, this.nodes);
    if (this.options.balance) config = config.replace(/^(\s+)balance \S+/m, `$1balance ${this.options.balance}`);
    if (this.options.refuseWebSockets) {
      config = config.replace(/^(\s+)default_backend /m, '$1http-request deny if { hdr(upgrade) -i websocket }\n$1default_backend ');
    }
    const file = path.join(this.dir, 'haproxy.cfg');
    writeFileSync(file, config);
    const child = spawn(haproxyBinary(), ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) this.options.onOutput?.(line);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}`);
      try {
        if ((await fetch(`${this.url}/api/health`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('haproxy did not pass a request to a healthy node');
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Debian installs it in /usr/sbin, which is not on every user's PATH. */
export function haproxyBinary(): string {
  return existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy';
}
