/** `npm run docs:routes`: rewrites the generated route tables of docs/api.md from the route table. */
import { readFileSync, writeFileSync } from 'node:fs';
import { ROUTE_TABLE } from '../routes.ts';
import { routeTables, withRouteTables } from './route-tables.ts';

const file = new URL('../../docs/api.md', import.meta.url);
const before = readFileSync(file, 'utf8');
const after = withRouteTables(before, routeTables(ROUTE_TABLE));
writeFileSync(file, after);
console.log(
  after === before ? 'docs/api.md: the route tables were current' : `docs/api.md: route tables rewritten (${ROUTE_TABLE.length} routes)`,
);
