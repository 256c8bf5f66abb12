import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // The encoding tables are generated data (fixtures/encodings/generate.rb).
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'src/marshal/encoding/tables/data.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // A value from another copy of the package (ESM and CJS, two installed versions) fails instanceof.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "BinaryExpression[operator='instanceof'][right.name=/^Ruby/]", message: 'Dispatch on a Ruby value with the predicates of src/marshal/values/kind.ts (isRubyHash, ...): instanceof fails on a value from another copy of the package.' },
      ],
    },
  },
  {
    // The library core is pure: no Node built-ins, so it runs in browsers and edge runtimes.
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'path', 'crypto', 'buffer', 'zlib', 'process'], message: 'The library core imports nothing from node: (only src/cli does I/O).' }] }],
      'no-restricted-globals': ['error', { name: 'Buffer', message: 'Use Uint8Array: the core runs outside Node.' }, { name: 'process', message: 'The core reads no environment.' }],
    },
  },
);
