// The SPA's architecture, enforced by ESLint (the root eslint.config.js spreads these blocks):
//   shared layers (components/, lib/, config/)  ->  features/<name>/  ->  app/
// A feature imports the shared layers and itself, never another feature nor app/ (app/ composes features); the
// shared layers import neither features nor app/; nothing in the web app imports the API's code.
// Core `no-restricted-imports` on the written specifier: imports leave their own folder through the `@/` alias
// (`../` stays inside a feature's own folders), so the specifier alone says where an import goes.
import { readdirSync } from 'node:fs';

const webSrc = 'apps/web/src';
const features = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const noApi = {
  regex: '^@covey/api(/|$)|(^|/)apps/api(/|$)|(^|/)api/src(/|$)',
  message: 'The web app never imports the API: share code through @covey/schema.',
};
const noClimbing = {
  regex: '^(\\.\\./){2,}',
  message: 'Leave a feature through the `@/` alias (`@/lib/…`, `@/components/…`), not `../../`.',
};

/** @param {...{ regex: string, message: string }} patterns */
const rule = (...patterns) => ['error', { patterns }];

/** @type {import('eslint').Linter.Config[]} */
export const webBoundaries = [
  {
    files: [`${webSrc}/**/*.{ts,tsx}`],
    rules: { 'no-restricted-imports': rule(noApi) },
  },
  {
    files: [`${webSrc}/{components,lib,config}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': rule(noApi, {
        regex: '^@/(features|app)(/|$)|(^|/)(features|app)/',
        message: 'The shared layers (components, lib, config) know no feature and no route: move the code down here or pass it in.',
      }),
    },
  },
  ...features.map((feature) => ({
    files: [`${webSrc}/features/${feature}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': rule(noApi, noClimbing, {
        regex: `^@/(features/(?!${feature}(/|$))|app(/|$))`,
        message: `Features do not import each other (nor app/): share through lib/ or components/, or compose them in app/.`,
      }),
    },
  })),
];
