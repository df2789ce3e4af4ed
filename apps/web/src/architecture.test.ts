// @vitest-environment node
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The lint config keeps the web app's feature zones; these cases prove its rules fire (and stay
// quiet where composing is allowed), as apps/server/src/architecture.test.ts does for the server.
const repoRoot = decodeURIComponent(new URL('../../..', import.meta.url).pathname);
const eslint = new ESLint({ cwd: repoRoot });

async function restrictedImports(filePath: string, from: string): Promise<number> {
  const code = `import { thing } from '${from}';\nexport { thing };\n`;
  const [result] = await eslint.lintText(code, { filePath: `apps/web/src/${filePath}` });
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').length;
}

describe('web architecture rules in eslint.config.js', () => {
  it('keep a feature out of every other feature and out of app/', async () => {
    expect(await restrictedImports('features/chat/x.tsx', '../presence/PresenceContext')).toBe(1);
    expect(await restrictedImports('features/chat/typing/x.tsx', '../../people/PeopleList')).toBe(1);
    expect(await restrictedImports('features/people/x.tsx', '../auth/AuthContext')).toBe(1);
    expect(await restrictedImports('features/chat/x.tsx', '../../app/Sidebar')).toBe(1);
  });

  it('let a feature use its own files, components/ and lib/', async () => {
    expect(await restrictedImports('features/chat/x.tsx', './chatState')).toBe(0);
    expect(await restrictedImports('features/chat/typing/x.tsx', '../chatState')).toBe(0);
    expect(await restrictedImports('features/chat/x.tsx', '../../components/Avatar')).toBe(0);
    expect(await restrictedImports('features/chat/x.tsx', '../../lib/session')).toBe(0);
  });

  it('keep components/ and lib/ from importing a feature or app/', async () => {
    expect(await restrictedImports('components/x.tsx', '../features/presence/PresenceContext')).toBe(1);
    expect(await restrictedImports('lib/x.ts', '../features/auth/AuthContext')).toBe(1);
    expect(await restrictedImports('lib/x.ts', '../app/SessionProviders')).toBe(1);
    expect(await restrictedImports('components/x.tsx', '../lib/presence')).toBe(0);
    expect(await restrictedImports('lib/x.ts', './storage')).toBe(0);
  });

  it('let app/ compose features', async () => {
    expect(await restrictedImports('app/x.tsx', '../features/chat/ChatContext')).toBe(0);
    expect(await restrictedImports('app/x.tsx', '../features/people/PeopleList')).toBe(0);
  });
});
