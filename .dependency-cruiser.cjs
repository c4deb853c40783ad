/**
 * The layers of src/, highest first; an import may only point down (docs/architecture.md).
 *   entry     src/*.ts: main, worker, cli, the app module and web-app (the composition root)
 *   features  admin, catalog, greetings, delivery, health, ops, seed
 *   edge      http (the edge: its machinery and its steps in http/edge), security (the
 *             limiters, credentials and origin checks those steps use)
 *   platform  flags (the flag engine), rendering, sites, assets, platform/* (observability too)
 *   base      config, common
 */
const ENTRY = '^src/[^/]+\\.ts$';
const FEATURES =
  '^src/(accounts|admin|catalog|greetings|delivery|health|ops|partners|reports|seed)/';
const EDGE = '^src/(http|security)/';
const PLATFORM = '^src/(flags|identity|rendering|sites|assets|platform)/';
const BASE = '^src/(config|common)/';

const below = (name, from, to, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: to },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes load order matter and hides which side owns what.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    below(
      'entry-is-top',
      '^src/[^/]+/',
      ENTRY,
      'Only the entry points compose the app; nothing below imports them.',
    ),
    below(
      'features-above-edge',
      `${EDGE}|${PLATFORM}|${BASE}`,
      FEATURES,
      'The edge, the platform and the base know no feature.',
    ),
    below(
      'edge-above-platform',
      `${PLATFORM}|${BASE}`,
      EDGE,
      'The platform and the base know nothing of HTTP edge steps.',
    ),
    below(
      'platform-above-base',
      BASE,
      PLATFORM,
      'config and common depend on nothing of ours above.',
    ),
    below(
      'config-above-common',
      '^src/common/',
      '^src/config/',
      'common holds plain helpers; it reads no configuration.',
    ),
    below(
      'security-below-http',
      '^src/security/',
      '^src/http/',
      "The edge's steps in http use security's limiters and credentials, not the other way round.",
    ),
    below(
      'flags-and-rendering-above-sites',
      '^src/(sites|assets)/',
      '^src/(flags|rendering)/',
      'A site is plain data: the flag engine and rendering read sites, sites read neither.',
    ),
    below(
      'stores-below-domain-platform',
      '^src/platform/',
      '^src/(flags|rendering|sites|assets)/',
      'The stores, queue and mail know no site, flag or template.',
    ),
    {
      name: 'web-starts-no-worker',
      comment:
        'The web process serves pages: queue processors, their workers and BullModule belong to the worker process alone.',
      severity: 'error',
      from: { path: '^src/(main|web-app|app\\.module)\\.ts$' },
      to: {
        path: '^src/platform/queue/job-(workers|processors|dispatcher)\\.ts$|^src/delivery/delivery-worker\\.module\\.ts$',
        reachable: true,
      },
    },
    {
      name: 'repository-stays-in-its-feature',
      comment: "Another feature uses a feature's module and services, never its repository.",
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '\\.repository\\.ts$', pathNot: '^src/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
