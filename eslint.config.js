import js from '@eslint/js';
import globals from 'globals';
import { dirname, relative, resolve } from 'node:path';
import tseslint from 'typescript-eslint';

/**
 * Dependency direction (see README "Code layout"), enforced here:
 * shared/ imports no other part and nothing Node- or Electron-specific; only the Electron shell
 * imports `electron`; the core never imports React; the renderer reaches the core only through
 * the typed tRPC client (a type import of the router); the relay never imports the desktop.
 */
const repositoryRoot = dirname(new URL(import.meta.url).pathname);

/** Which top-level parts each part may import from by relative path; `type` marks type-only access. */
const allowedParts = {
  shared: { shared: 'all' },
  renderer: { renderer: 'all', shared: 'all', electron: 'type' },
  electron: { electron: 'all', shared: 'all' },
  relay: { relay: 'all', shared: 'all' },
};

function topFolder(path) {
  return relative(repositoryRoot, path).split(/[\\/]/)[0];
}

const partBoundaries = {
  meta: { type: 'problem', schema: [], messages: { crossing: '{{from}}/ may not import from {{to}}/ ({{why}}).' } },
  create(context) {
    const fromPart = topFolder(context.filename);
    const allowed = allowedParts[fromPart];
    if (!allowed) return {};
    const check = (node, source, typeOnly) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const toPart = topFolder(resolve(dirname(context.filename), source));
      if (!(toPart in allowedParts)) return;
      const access = allowed[toPart];
      if (access === 'all' || (access === 'type' && typeOnly)) return;
      const why = access === 'type' ? 'type imports only: use the tRPC client' : 'see the dependency rules in eslint.config.js';
      context.report({ node, messageId: 'crossing', data: { from: fromPart, to: toPart, why } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value, node.importKind === 'type'),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => check(node, node.source.value, false),
    };
  },
};

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'worker_threads'];
/** Package names, matched exactly (a path pattern would also catch folders named "electron"). */
const restrict = (packages, message, options = { nodeBuiltins: false }) => ({
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      paths: [...packages, ...(options.nodeBuiltins ? nodeBuiltins : [])].map((name) => ({ name, message })),
      patterns: options.nodeBuiltins ? [{ group: ['node:*'], message }] : [],
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-electron/', 'release/', '.cache/', 'test-results/', 'playwright-report/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { ares: { rules: { 'part-boundaries': partBoundaries } } },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'ares/part-boundaries': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict(['electron', 'react', 'react-dom'], 'shared/ also runs in the renderer: no Node, Electron or React.', { nodeBuiltins: true }),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: restrict(['electron'], 'The renderer has no Node or Electron: use the tRPC client.', { nodeBuiltins: true }),
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/shell/**'],
    rules: restrict(['electron', 'react', 'react-dom'], 'Only main.ts, preload.ts and shell/ import Electron, and the core knows nothing of the UI: it runs under plain Node.'),
  },
  {
    files: ['relay/**/*.ts'],
    rules: restrict(['electron', 'react', 'react-dom'], 'The relay is a plain Node server.'),
  },
);
