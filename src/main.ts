#!/usr/bin/env node
import { pino } from 'pino';
import { startApp } from './app.js';
import { ConfigError, loadConfig, settingsHelp } from './config/config.js';
import { checkEnvironment } from './config/environment-check.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(settingsHelp());
    return;
  }
  const unknown = args.filter((arg) => arg !== '--');
  if (unknown.length > 0) {
    console.error(`Unknown argument ${unknown[0]}: settings come from environment variables; see --help.`);
    process.exitCode = 2;
    return;
  }

  let config;
  try {
    config = loadConfig(process.env);
    checkEnvironment(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${error.message}\nSee --help for every setting.`);
    process.exitCode = 1;
    return;
  }

  const logger = pino({ level: config.logLevel, base: { service: 'wavlake-live' } });
  const app = await startApp(config, logger);
  logger.info(
    { url: config.publicUrl, port: config.port, rtmpPort: config.rtmpPort, dataDir: config.dataDir },
    `Wavlake Live is running at ${config.publicUrl}`,
  );

  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    app.close().then(
      () => {
        logger.info('stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `Wavlake Live failed to start: ${error.message}` : error);
  process.exit(1);
});
