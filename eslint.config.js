import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.data/', 'coverage/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@aws-sdk/*', 'zod', '@middy/*', '@aws-lambda-powertools/*', 'node:*'],
              message: 'domain/ is pure: no AWS, validation libraries or Node APIs.',
            },
            { group: ['../functions/*', '../local/*', '../lib/*', '#functions/*', '#local/*'], message: 'domain/ imports only domain/.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'domain/ reads no environment.' }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'domain/ takes time as an argument.' },
        { object: 'Math', property: 'random', message: 'domain/ takes no randomness.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'domain/ takes time as an argument.' },
      ],
    },
  },
);
