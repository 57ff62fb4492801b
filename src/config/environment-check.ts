import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from './config.js';

/**
 * What the settings point at, checked before anything starts: a data folder we can write and
 * an ffmpeg we can run. Without them the service would start and fail later, at the first
 * stream, far from the setting that caused it.
 *
 *   checkEnvironment(config);   // throws ConfigError naming DATA_DIR or FFMPEG_PATH
 */
export function checkEnvironment(config: Config, searchPath = process.env.PATH ?? ''): void {
  try {
    mkdirSync(config.dataDir, { recursive: true });
    accessSync(config.dataDir, constants.W_OK);
  } catch (error) {
    throw new ConfigError(
      `Invalid setting DATA_DIR=${JSON.stringify(config.dataDir)}: cannot create or write that folder (${errorCode(error)}); choose a folder this user can write.`,
    );
  }
  if (!findExecutable(config.ffmpegPath, searchPath)) {
    throw new ConfigError(
      `Invalid setting FFMPEG_PATH=${JSON.stringify(config.ffmpegPath)}: no executable ffmpeg there${config.ffmpegPath.includes('/') ? '' : ' or on PATH'}; install it (apt-get install ffmpeg) or point FFMPEG_PATH at the binary.`,
    );
  }
}

function findExecutable(command: string, searchPath: string): string | undefined {
  const candidates = command.includes('/')
    ? [command]
    : searchPath
        .split(path.delimiter)
        .filter((folder) => folder.length > 0)
        .map((folder) => path.join(folder, command));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error ? String(error.code) : String(error);
}
