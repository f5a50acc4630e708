/**
 * The NHS.UK design system (nhsuk-frontend) for the workspace: its Nunjucks macros render every page, and its
 * compiled stylesheet is served from our own route (`GET /app/assets/nhsuk-frontend.min.css`, no CDN).
 *
 * Where the files are: beside the deployed handler (the Lambda bundle carries no node_modules; the manifest's
 * `bundleFiles` copy the package's `.njk` templates into `nhsuk/` and its stylesheet beside the bundle, as the
 * /docs script is copied), else in the installed package (`npm start` and the tests run the sources).
 *
 * Autoescaping is on: every value a page passes is escaped unless a template marks it `safe`, which only the
 * layout does, for HTML this module rendered itself.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import nunjucks from 'nunjucks';

import { BUNDLED_STYLESHEET, BUNDLED_TEMPLATES } from './routes.ts';

export { STYLESHEET_PATH } from './routes.ts';

export interface NhsukFiles {
  /** The folder whose `nhsuk/` sub-folder holds the templates (the loader's search path). */
  templateRoot: string;
  stylesheet: string;
}

/** The design system's files, beside the handler when deployed, else from the installed package. */
export function nhsukFiles(besideHandler: URL): NhsukFiles {
  const here = fileURLToPath(new URL('.', besideHandler));
  const bundledCss = join(here, BUNDLED_STYLESHEET);
  if (existsSync(bundledCss) && existsSync(join(here, BUNDLED_TEMPLATES))) return { templateRoot: here, stylesheet: bundledCss };
  const dist = join(dirname(createRequire(besideHandler).resolve('nhsuk-frontend/package.json')), 'dist');
  return { templateRoot: dist, stylesheet: join(dist, 'nhsuk', 'nhsuk-frontend.min.css') };
}

/** Templates of our own, by name, ahead of the package's on the search path. */
class MapLoader extends nunjucks.Loader implements nunjucks.ILoader {
  readonly async = false;
  constructor(private readonly templates: Readonly<Record<string, string>>) {
    super();
  }
  // Nunjucks takes null as "not mine, ask the next loader"; its types say a source is always returned.
  getSource(name: string): nunjucks.LoaderSource {
    const src = this.templates[name];
    return (src === undefined ? null : { src, path: `s117:${name}`, noCache: false }) as nunjucks.LoaderSource;
  }
}

export type Renderer = (template: string, context: object) => string;

/** A Nunjucks environment over our templates and the package's, autoescaping, failing on a missing template. */
export function nunjucksRenderer(files: NhsukFiles, templates: Readonly<Record<string, string>>): Renderer {
  const env = new nunjucks.Environment([new MapLoader(templates), new nunjucks.FileSystemLoader(files.templateRoot)], {
    autoescape: true,
    trimBlocks: true,
    lstripBlocks: true,
  });
  return (template, context) => env.render(template, context);
}

export interface Stylesheet {
  text: string;
  gzip: Buffer;
  etag: string;
}

export function loadStylesheet(file: string): Stylesheet {
  const text = readFileSync(file, 'utf8');
  return { text, gzip: gzipSync(text, { level: 9 }), etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"` };
}
