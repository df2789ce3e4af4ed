import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HAPROXY_CONFIG, haproxyBinary, localHaproxyConfig } from './haproxy.js';

// deploy/haproxy.cfg is run by Docker as is and by `pnpm cluster`, the tests and the bench with
// local ports: both forms must be configurations HAProxy accepts, with the settings that matter.

const run = promisify(execFile);
const template = readFileSync(HAPROXY_CONFIG, 'utf8');

describe('deploy/haproxy.cfg', () => {
  it('keeps long-polling sticky, gives WebSockets a tunnel timeout and checks node health', () => {
    expect(template).toMatch(/^\s+cookie SERVERID insert indirect nocache$/m);
    expect(template).toMatch(/^\s+timeout tunnel \S+$/m);
    expect(template).toMatch(/^\s+option httpchk GET \/api\/health\/ready$/m);
    expect(template.match(/^\s+server app\d .* check cookie app\d/gm)).toHaveLength(3);
  });

  it('as run locally: bound to loopback, one server per node, accepted by haproxy -c', async () => {
    const local = localHaproxyConfig(template, 18_080, [
      { name: 'node1', port: 3101 },
      { name: 'node2', port: 3102 },
    ]);
    expect(local).toMatch(/^\s+bind 127\.0\.0\.1:18080$/m);
    expect(local.match(/^\s+server .*$/gm)).toEqual([
      '    server node1 127.0.0.1:3101 check cookie node1',
      '    server node2 127.0.0.1:3102 check cookie node2',
    ]);
    const settings = local.split('\n').filter((line) => !line.trim().startsWith('#'));
    expect(settings.join('\n')).not.toMatch(/resolvers|app1/);
    expect(local).toMatch(/^\s+cookie SERVERID insert indirect nocache$/m);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-haproxy-check-'));
    try {
      writeFileSync(path.join(dir, 'haproxy.cfg'), local);
      await expect(run(haproxyBinary(), ['-c', '-f', path.join(dir, 'haproxy.cfg')])).resolves.toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
