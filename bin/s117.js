#!/usr/bin/env node
// Runs the TypeScript CLI (bin/s117.ts) through tsx's ESM loader, so `npx s117` works after `npm ci` without a build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./s117.ts');
process.exitCode = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
