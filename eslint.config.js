// ESLint 9 flat config for the whole monorepo. `pnpm lint` runs `eslint .` from the root.
// Syntax-level rules only (no type-aware rules): `pnpm typecheck` does the type checking, and
// lint stays fast on a 2-core machine.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const SERVER_FEATURES = readdirSync(path.join(import.meta.dirname, 'apps/server/src/features'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/**
 * A server feature may use another feature's service and repository (and their types), never its
 * HTTP routes, socket handlers, mongoose models or `index.ts`: those are the feature's own wiring,
 * and app.ts / db/connect.ts are the only places that assemble them (app.ts passes one feature's
 * service to another as an argument; see docs/decisions/0010).
 */
function serverFeatureBoundary(feature) {
  const others = SERVER_FEATURES.filter((name) => name !== feature);
  return {
    files: [`apps/server/src/features/${feature}/**/*.ts`],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...serverLayerPatterns,
            {
              group: others.flatMap((other) => [
                `../${other}/*.routes.js`,
                `../${other}/*.socket.js`,
                `../${other}/*.model.js`,
                `**/features/${other}/*.routes.js`,
                `**/features/${other}/*.socket.js`,
                `**/features/${other}/*.model.js`,
                `../${other}/index.js`,
                `../${other}/index`,
                `**/features/${other}/index.js`,
                `**/features/${other}/index`,
              ]),
              message:
                "Another feature's routes, socket handlers, models and index.ts are private: use its service or repository (app.ts passes them in).",
            },
          ],
        },
      ],
    },
  };
}

const serverLayerPatterns = [
  {
    group: ['**/apps/web/**', '@parley/web', '@parley/web/*', 'react', 'react-dom', 'react-dom/*'],
    message: 'The server never imports the web app.',
  },
];

const webLayerPatterns = [
  {
    group: ['**/apps/server/**', '**/server/src/**', '@parley/server', '@parley/server/*', 'mongoose', 'express'],
    message: 'The web app talks to the server only through @parley/protocol and the wire.',
  },
];

const WEB_FEATURES = readdirSync(path.join(import.meta.dirname, 'apps/web/src/features'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/**
 * The ways a web file spells a relative import of the folder `target` (`features/chat`, `app`)
 * of apps/web/src, from any depth. Relative only: a server path merely ending in `/app` is not ours.
 */
function webImportsOf(target) {
  const prefixes = ['./', '../', '../../', '../../../', '../../../../'];
  return prefixes.flatMap((prefix) => [`${prefix}${target}`, `${prefix}${target}/**`]);
}

/** A sibling feature as seen from inside a feature (`../people/...`, `../../people/...`). */
function siblingImportsOf(feature) {
  return ['../', '../../', '../../../'].flatMap((prefix) => [`${prefix}${feature}`, `${prefix}${feature}/**`]);
}

/** A zone of the web app: `files` may not import `forbidden` (nor the server, as everywhere on the web). */
function webZone(files, forbidden, message) {
  return {
    files,
    // Tests may render the composed app around what they test.
    ignores: ['**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...webLayerPatterns, { group: forbidden, message }] }],
    },
  };
}

/**
 * Web features are islands (bulletproof-react's zones): a feature never imports another one or
 * app/; app/ composes them, handing over what one needs from another as props or through a
 * small interface in lib/.
 */
function webFeatureBoundary(feature) {
  const others = WEB_FEATURES.filter((name) => name !== feature);
  return webZone(
    [`apps/web/src/features/${feature}/**/*.{ts,tsx}`],
    [...others.flatMap((other) => [...siblingImportsOf(other), ...webImportsOf(`features/${other}`)]), ...webImportsOf('app')],
    'Features meet only in app/: take what another feature provides as props, or through a small interface in lib/.',
  );
}

/** Shared UI (components/) and lib/ sit below every feature: they never import one, nor app/. */
const webSharedBoundary = webZone(
  ['apps/web/src/components/**/*.{ts,tsx}', 'apps/web/src/lib/**/*.{ts,tsx}'],
  [...webImportsOf('features'), ...webImportsOf('app')],
  'components/ and lib/ never import a feature or app/: features depend on them, not the other way round.',
);

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/.data/**',
      '**/.vite/**',
      'bench/results/**',
      'e2e/screenshots/**',
      'e2e/.artifacts/**',
      '.ci/out/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      // Matters of taste relaxed; real problems stay errors.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      'no-console': 'off',
      'prefer-const': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': ['error', { patterns: webLayerPatterns }],
    },
  },
  {
    files: ['apps/server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: serverLayerPatterns }],
    },
  },
  ...SERVER_FEATURES.map(serverFeatureBoundary),
  ...WEB_FEATURES.map(webFeatureBoundary),
  webSharedBoundary,
  {
    files: ['**/*.test.{ts,tsx}', '**/test/**/*.{ts,tsx}', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
