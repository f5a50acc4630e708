/** Imported first by API tests: the request log lines are not wanted in test output (set before the logger is built). */
process.env['POWERTOOLS_LOG_LEVEL'] = 'SILENT';
