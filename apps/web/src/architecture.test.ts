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

/** [importing file under apps/web/src, import specifier] */
type Case = [string, string];

const forbidden: Record<string, Case[]> = {
  'a feature importing another feature or app/': [
    ['features/chat/x.tsx', '../presence/PresenceContext'],
    ['features/chat/typing/x.tsx', '../../people/PeopleList'],
    ['features/people/x.tsx', '../auth/AuthContext'],
    ['features/chat/x.tsx', '../../app/Sidebar'],
  ],
  'components/ or lib/ importing a feature or app/': [
    ['components/x.tsx', '../features/presence/PresenceContext'],
    ['lib/x.ts', '../features/auth/AuthContext'],
    ['lib/x.ts', '../app/SessionProviders'],
  ],
};

const allowed: Record<string, Case[]> = {
  'a feature using its own files, components/ and lib/': [
    ['features/chat/x.tsx', './chatState'],
    ['features/chat/typing/x.tsx', '../chatState'],
    ['features/chat/x.tsx', '../../components/Avatar'],
    ['features/chat/x.tsx', '../../lib/session'],
  ],
  'shared code using shared code': [
    ['components/x.tsx', '../lib/presence'],
    ['lib/x.ts', './storage'],
  ],
  'app/ composing features': [
    ['app/x.tsx', '../features/chat/ChatContext'],
    ['app/x.tsx', '../features/people/PeopleList'],
  ],
};

describe('web architecture rules in eslint.config.js', () => {
  for (const [name, cases] of Object.entries(forbidden)) {
    it(`fire for ${name}`, async () => {
      for (const [file, from] of cases) expect(await restrictedImports(file, from), `${file} -> ${from}`).toBe(1);
    });
  }
  for (const [name, cases] of Object.entries(allowed)) {
    it(`stay quiet for ${name}`, async () => {
      for (const [file, from] of cases) expect(await restrictedImports(file, from), `${file} -> ${from}`).toBe(0);
    });
  }
});
