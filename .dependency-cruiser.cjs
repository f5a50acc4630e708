/**
 * The boundaries of the tree, at any depth (docs/decisions.md):
 * - domain/ is pure: it imports only domain/ (no packages, no Node built-ins, nothing outside it);
 * - functions/ (what runs in Lambda) never imports local/ (the stand-ins) or lib/ (the deployment), and names
 *   @aws-sdk packages in types only (the SDKs load on first use through functions/adapters/<client>/sdk.ts);
 * - nothing imports test/ but test/ and bench/.
 * `npm run lint` runs it over every folder of code.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-domain',
      severity: 'error',
      comment: 'domain/ is pure: it may import only other files of domain/ (no AWS, zod, Node built-ins or other folders).',
      from: { path: '^domain/' },
      to: { pathNot: '^domain/' },
    },
    {
      name: 'functions-not-local-or-lib',
      severity: 'error',
      comment: 'functions/ is what runs in Lambda: it never imports the local stand-ins (local/) or the deployment (lib/).',
      from: { path: '^functions/' },
      to: { path: '^(local|lib)/' },
    },
    {
      name: 'functions-load-sdks-through-the-root',
      severity: 'error',
      comment:
        'functions/ imports @aws-sdk packages for types only: the clients are loaded on first use through functions/adapters/*/sdk.ts (createRequire), built by the composition root (functions/adapters/root.ts).',
      from: { path: '^functions/' },
      to: { path: '(^|/)node_modules/@aws-sdk/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'only-tests-import-tests',
      severity: 'error',
      comment: 'test/ helpers are for tests and benchmarks only.',
      from: { path: '^(domain|functions|lib|local|bin)/' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves (a typo or a path alias the tools cannot follow hides a boundary crossing).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(cdk\\.out|\\.data|coverage|reports|\\.stryker-tmp)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
