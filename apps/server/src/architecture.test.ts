import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The lint config keeps the architecture; these cases prove its rules fire (and stay quiet).
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: repoRoot });

async function restrictedImports(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').length;
}

describe('architecture rules in eslint.config.js', () => {
  it('keep the web app out of server code', async () => {
    expect(await restrictedImports('apps/web/src/lib/x.ts', "import { createApp } from '../../../server/src/app';\nexport { createApp };\n")).toBe(1);
    expect(await restrictedImports('apps/web/src/lib/x.ts', "import { UserSchema } from '@parley/protocol';\nexport { UserSchema };\n")).toBe(0);
  });

  it('keep a server feature out of another feature’s routes, sockets and models', async () => {
    const file = 'apps/server/src/features/messages/x.ts';
    expect(await restrictedImports(file, "import { userModel } from '../users/user.model.js';\nexport { userModel };\n")).toBe(1);
    expect(await restrictedImports(file, "import { usersRoutes } from '../users/users.routes.js';\nexport { usersRoutes };\n")).toBe(1);
    expect(await restrictedImports(file, "import { toPublicUser } from '../users/users.service.js';\nexport { toPublicUser };\n")).toBe(0);
  });

  it('keep a server feature out of another feature’s index.ts: app.ts alone composes features', async () => {
    const file = 'apps/server/src/features/messages/index.ts';
    expect(await restrictedImports(file, "import { mountUsers } from '../users/index.js';\nexport { mountUsers };\n")).toBe(1);
    expect(await restrictedImports(file, "import { mountPresence } from '../presence/index';\nexport { mountPresence };\n")).toBe(1);
    expect(await restrictedImports(file, "import type { Feature } from '../feature.js';\nexport type { Feature };\n")).toBe(0);
    expect(await restrictedImports('apps/server/src/app.ts', "import { mountUsers } from './features/users/index.js';\nexport { mountUsers };\n")).toBe(0);
  });
});
