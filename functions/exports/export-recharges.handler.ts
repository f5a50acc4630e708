import { httpHandler } from '../shared/middy.ts';
import { exportDeps } from './deps.ts';
import { exportRecharges } from './export-api.ts';
import { rechargesExportRoute as route } from './routes.ts';

export const handler = httpHandler(route, ({ caller, query }) => exportRecharges(exportDeps(), caller, query));
