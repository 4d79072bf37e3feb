import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Dependency direction (see README "Code layout"), enforced here:
 * shared/ imports no other part and nothing Node- or Electron-specific; only the Electron shell
 * imports `electron`; the core never imports React; the renderer reaches the core only through
 * the typed tRPC client (a type import of the router); the relay never imports the desktop.
 */
const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'worker_threads'];
const restrict = (...patterns) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-electron/', 'release/', '.cache/', 'test-results/', 'playwright-report/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
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
    rules: restrict(
      { group: nodeBuiltins, message: 'shared/ also runs in the renderer: no Node modules.' },
      { group: ['electron', 'react', 'react-dom'], message: 'shared/ is framework-free.' },
      { group: ['**/electron/**', '**/renderer/**', '**/relay/**'], message: 'shared/ imports no other part of the project.' },
    ),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: restrict(
      { group: ['electron', ...nodeBuiltins], message: 'The renderer has no Node or Electron: use the tRPC client.' },
      { group: ['**/electron/**', '**/relay/**'], allowTypeImports: true, message: 'The renderer reaches the core only through the tRPC client.' },
    ),
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/shell/**'],
    rules: restrict(
      { group: ['electron'], message: 'Only electron/main.ts, preload.ts and electron/shell/ import Electron: the core runs under plain Node.' },
      { group: ['react', 'react-dom', '**/renderer/**'], message: 'The core knows nothing of the UI.' },
      { group: ['**/relay/**'], message: 'The desktop shares types with the relay through shared/ only.' },
    ),
  },
  {
    files: ['relay/**/*.ts'],
    rules: restrict(
      { group: ['electron', 'react', 'react-dom'], message: 'The relay is a plain Node server.' },
      { group: ['**/electron/**', '**/renderer/**'], message: 'The relay shares types with the desktop through shared/ only.' },
    ),
  },
);
