/**
 * The layering of lib/ (docs/architecture.md), enforced by `npm run lint`. Every arrow points down:
 * a folder may import only the folders listed for it. Type-only imports count too (a type cycle is
 * still a design cycle).
 */
const layers = {
  contract: [],
  runtime: [],
  config: ['runtime'],
  observability: ['config', 'runtime'],
  http: ['contract'],
  state: ['config', 'observability', 'runtime'],
  news: ['contract', 'config', 'observability', 'http', 'runtime'],
  guard: ['contract', 'config', 'observability', 'http', 'state', 'runtime'],
  stream: ['contract', 'config', 'observability', 'state', 'news', 'guard', 'runtime'],
  api: ['contract', 'config', 'observability', 'http', 'news', 'guard', 'stream'],
  mcp: ['contract', 'config', 'observability', 'http', 'guard', 'stream', 'runtime'],
  dashboard: ['contract', 'http'],
};

const folders = Object.keys(layers);

const layerRules = folders.map((folder) => {
  const forbidden = folders.filter((other) => other !== folder && !layers[folder].includes(other));
  return {
    name: `lib-${folder}-layer`,
    comment: `lib/${folder} may import only ${layers[folder].map((l) => `lib/${l}`).join(', ') || 'nothing else in lib'}`,
    severity: 'error',
    from: { path: `^lib/${folder}/` },
    to: { path: `^lib/(${forbidden.join('|')})/` },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles between files (type imports included).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'lib-below-app',
      comment: 'lib/ and components/ never import routes, pages or the middleware.',
      severity: 'error',
      from: { path: '^(lib|components)/' },
      to: { path: '^(app/|middleware\\.ts|instrumentation\\.ts)' },
    },
    {
      name: 'browser-code-stays-in-browser-layers',
      comment: 'Client components use the dashboard and contract layers only, never server modules.',
      severity: 'error',
      from: { path: '^components/' },
      to: { path: '^lib/', pathNot: '^lib/(dashboard|contract|http)/' },
    },
    {
      name: 'no-test-code-in-the-app',
      severity: 'error',
      from: { path: '^(lib|app|components)/' },
      to: { path: '^(tests|e2e|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    exclude: { path: '(^|/)(node_modules|\\.next[^/]*)/' },
  },
};
