import { describe, expect, inject, it } from 'vitest';
import { freePort } from './lib/freePort.js';
import { connectedSocket, registerUser } from './test/clients.js';
import { ServerProcess } from './test/serverProcess.js';
import { uniqueDbName } from './test/testServer.js';

/**
 * A module loaded before main.ts (node --import) that, on SIGUSR2, makes an error escape every
 * handler: the server has no such hook; the test brings its own bug.
 */
const bugOnSignal = (bug: string) =>
  `data:text/javascript,${encodeURIComponent(`process.on('SIGUSR2', () => { ${bug} });`)}`;

describe('main.ts: an error that escaped every handler', () => {
  it.each([
    ['an unhandled promise rejection', "void Promise.reject(new Error('escaped'));", 'unhandled promise rejection'],
    ['an uncaught exception', "setImmediate(() => { throw new Error('escaped'); });", 'uncaught exception'],
  ])('%s is logged as fatal; the server closes what it can and exits with code 1', async (_label, bug, logged) => {
    const server = new ServerProcess(
      await freePort(),
      { MONGODB_URI: `${inject('mongoUri')}${uniqueDbName()}`, LOG_LEVEL: 'error' },
      { nodeArgs: ['--import', bugOnSignal(bug)], captureOutput: true },
    );
    await server.start();
    const user = await registerUser(server.url);
    const socket = await connectedSocket(server.url, user.accessToken);
    const disconnected = new Promise<string>((resolve) => socket.socket.once('disconnect', resolve));

    const exitCode = await server.signalAndWaitForExit('SIGUSR2');
    expect(exitCode).toBe(1);
    const fatal = server.output
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message: string } })
      .filter((entry) => entry.level === 60);
    expect(fatal).toEqual([expect.objectContaining({ level: 60, msg: logged, err: expect.objectContaining({ message: 'escaped' }) })]);
    // Closed on the way out (the socket hears a server disconnect), not just dropped.
    expect(await disconnected).toBe('io server disconnect');
  });
});
