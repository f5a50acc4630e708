import { httpHandler } from '../shared/middy.ts';
import { exportDeps } from './deps.ts';
import { exportApportionment } from './export-api.ts';
import { apportionmentExportRoute as route } from './routes.ts';

export const handler = httpHandler(route, ({ caller, query, headers }) => exportApportionment(exportDeps(), caller, query, headers.prefer));
