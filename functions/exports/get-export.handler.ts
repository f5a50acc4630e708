import { httpHandler } from '../shared/middy.ts';
import { exportDeps } from './deps.ts';
import { getExport } from './export-api.ts';
import { getExportRoute as route } from './routes.ts';

export const handler = httpHandler(route, ({ caller, path }) => getExport(exportDeps(), caller, path.exportId));
