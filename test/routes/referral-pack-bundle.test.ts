/**
 * The referral pack's function in its deployed form (issue 16, item 5): esbuild with the settings of
 * lib/constructs/lambda.ts, pdfkit left external as the manifest's `nodeModules` says, and pdfkit installed beside
 * the bundle as NodejsFunction's `npm ci` installs it (here: the repository's installed copy, linked). Bundled inline,
 * pdfkit cannot find its font metrics; external without the install, the bundle cannot load; installed, the
 * deployed code renders a PDF that pdf.js reads.
 */
import '../functions/api/quiet-logs.ts';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferralPack } from '#domain/disputes/referral-pack.ts';
import { appManifest } from '#lib/app-manifest.ts';
import { bundlingFor, esbuildOptions, REPO_ROOT } from '#lib/constructs/lambda.ts';

const STANDARD_FONTS = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';
const definition = appManifest.functions.find((f) => f.name === 'get-referral-pack');
const DOCUMENT = join(REPO_ROOT, 'functions/disputes/referral-pack-document.ts');
let outDir: string;

const pack: ReferralPack = {
  id: 'rp_bundle_1',
  applicationId: 'app_bundle',
  disputeId: 'dsp_bundle_1',
  personRef: 'p_bundle',
  generatedAt: '2025-05-20T09:00:00.000Z',
  referredOn: '2025-05-20',
  disputeDate: '2025-01-15',
  referralDue: '2025-05-15',
  legalArgumentsDue: '2025-06-03',
  ruleIds: ['R-DISP-LA-6'],
  sections: [
    { heading: '1. Nature of the dispute', paragraphs: ['Anyshire says the person lived in Otherby before detention.'], items: [] },
    {
      heading: '2. Chronology, including the date the dispute arose',
      paragraphs: [],
      items: [],
      table: {
        caption: 'Chronology of the case, earliest first',
        head: ['Date', 'What happened'],
        rows: [['15 January 2025', 'The dispute arose.']],
      },
    },
  ],
  text: '',
  html: '',
};

beforeAll(async () => {
  if (definition === undefined) throw new Error('no get-referral-pack function in the manifest');
  outDir = mkdtempSync(join(tmpdir(), 's117-referral-bundle-'));
  const modules = definition.nodeModules ?? [];
  await build(esbuildOptions(join(REPO_ROOT, definition.handler), join(outDir, 'handler', 'index.mjs'), modules));
  await build(esbuildOptions(DOCUMENT, join(outDir, 'document', 'index.mjs'), modules));
  await build(esbuildOptions(DOCUMENT, join(outDir, 'inline', 'index.mjs')));
}, 60_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** The asset folder as Lambda sees it: the bundle, the AWS SDK of the runtime, and (when installed) pdfkit. */
function install(folder: string, withPdfkit: boolean): void {
  mkdirSync(join(outDir, folder, 'node_modules'), { recursive: true });
  symlinkSync(join(REPO_ROOT, 'node_modules/@aws-sdk'), join(outDir, folder, 'node_modules/@aws-sdk'));
  if (withPdfkit) symlinkSync(join(REPO_ROOT, 'node_modules/pdfkit'), join(outDir, folder, 'node_modules/pdfkit'));
}

const url = (folder: string): string => pathToFileURL(join(outDir, folder, 'index.mjs')).href;

/** Runs an ES module script in a plain Node process (not vitest's loader, which would resolve from the repository). */
const node = (script: string): string =>
  execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: outDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/** The pack rendered by a bundle in its own process; the PDF as base64. */
const renderIn = (folder: string): string =>
  node(
    `const m = await import(${JSON.stringify(url(folder))}); ` +
      `process.stdout.write((await m.referralPackPdf(${JSON.stringify(pack)})).toString('base64'));`,
  );

describe('the deployed referral pack function', () => {
  it('installs pdfkit as a module (NodejsFunction nodeModules) and leaves it out of the bundle', () => {
    expect(definition?.nodeModules).toStrictEqual(['pdfkit']);
    expect(bundlingFor(definition ?? { name: '', handler: '' }).nodeModules).toStrictEqual(['pdfkit']);
    const bundle = readFileSync(join(outDir, 'handler', 'index.mjs'), 'utf8');
    expect(bundle).toMatch(/from\s*"pdfkit"/);
    expect(bundle).not.toContain('Helvetica.afm');
  });

  it('cannot lay out a PDF with pdfkit bundled inline: its font metrics are files of its package', () => {
    install('inline', false);
    expect(() => renderIn('inline')).toThrow(/Helvetica|standard-fonts|ENOENT/);
  });

  it('does not load without the installed pdfkit, and loads with it', () => {
    install('handler', false);
    const load = `const m = await import(${JSON.stringify(url('handler'))}); process.stdout.write(typeof m.handler);`;
    expect(() => node(load)).toThrow(/Cannot find package 'pdfkit'/);
    symlinkSync(join(REPO_ROOT, 'node_modules/pdfkit'), join(outDir, 'handler', 'node_modules/pdfkit'));
    expect(node(load)).toBe('function');
  });

  it('renders the pack as a tagged PDF from the bundle with pdfkit installed beside it', async () => {
    install('document', true);
    const bytes = Buffer.from(renderIn('document'), 'base64');
    const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, standardFontDataUrl: STANDARD_FONTS }).promise;
    const text = (await (await pdf.getPage(1)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
    expect((await pdf.getMetadata()).info).toMatchObject({ Title: 'Referral pack: dispute dsp_bundle_1 (application app_bundle)' });
    for (const words of ['Nature of the dispute', 'lived in Otherby before detention', 'What happened', 'The dispute arose.'])
      expect(text.replace(/\s+/g, ' ')).toContain(words);
  });
});
