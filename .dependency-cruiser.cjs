/**
 * The direction of dependencies in src/, checked by `npm run lint:deps` (and .ci/run):
 * - no import cycles, type-only imports included;
 * - the foundation (src/db, src/lib, src/plugins, src/domain) knows no module;
 * - a module uses another module only through the files it declares public: `<name>.public.ts`
 *   (functions and types for other modules), `<name>.table.ts` (tables: foreign keys, and the SQL of
 *   the figures, which say which tables they read in one place) and `<name>.schemas.ts` (API schemas
 *   a module's answers embed);
 * - no module imports the app or the server.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: the files in it cannot be understood, tested or loaded one without the other.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'foundation-knows-no-module',
      severity: 'error',
      comment: 'src/db, src/lib, src/plugins and src/domain are below every module: they import none.',
      from: { path: '^src/(db|lib|plugins|domain)/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'module-through-public-face',
      severity: 'error',
      comment: "Another module's private file: import its <name>.public.ts, .table.ts or .schemas.ts instead (or make the piece public there).",
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '[.](public|table|schemas)[.]ts$'] },
    },
    {
      name: 'modules-know-no-app',
      severity: 'error',
      comment: 'The app and the server assemble the modules; a module never reaches back up to them.',
      from: { path: '^src/modules/' },
      to: { path: '^src/(app|server)[.]ts$' },
    },
    {
      name: 'foundation-below-entry-points',
      severity: 'error',
      comment: 'The foundation never imports the app, the server or a command-line entry point.',
      from: { path: '^src/(db|lib|plugins|domain)/' },
      to: { path: '^src/((app|server)[.]ts|cli/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
