import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Database, Engine } from './database.js';
import { streamsMigration } from './migrations/001-streams.js';
import { nostrEventsMigration } from './migrations/002-nostr-events.js';
import { streamMediaMigration } from './migrations/003-stream-media.js';
import { streamMetricsQualityMigration } from './migrations/004-stream-metrics-quality.js';
import { streamModeratorsMigration } from './migrations/005-stream-moderators.js';
import { nostrDeletionTargetsMigration } from './migrations/006-nostr-deletion-targets.js';
import { nip98ClaimsMigration } from './migrations/008-nip98-claims.js';
import { streamImageMigration } from './migrations/009-stream-image.js';
import { streamGoalMigration } from './migrations/013-stream-goal.js';
import { streamTypeMigration } from './migrations/010-stream-type.js';
import { streamTracksMigration } from './migrations/011-stream-tracks.js';
import { streamSignersMigration } from './migrations/012-stream-signers.js';
import { zapsMigration } from './migrations/014-zaps.js';
import { streamThumbnailMigration } from './migrations/015-stream-thumbnail.js';
import { streamDestinationsMigration } from './migrations/016-stream-destinations.js';
import { streamScheduleMigration } from './migrations/017-stream-schedule.js';
import { viewerCountriesMigration } from './migrations/018-viewer-countries.js';
import { streamMetricsPlaybackMigration } from './migrations/019-stream-metrics-playback.js';

/** Migrations in order; names are stored in the database, so never rename one. */
function migrations(engine: Engine): Record<string, Migration> {
  return {
    '001-streams': streamsMigration(engine),
    '002-nostr-events': nostrEventsMigration(),
    '003-stream-media': streamMediaMigration(),
    '004-stream-metrics-quality': streamMetricsQualityMigration(),
    '005-stream-moderators': streamModeratorsMigration(),
    '006-nostr-deletion-targets': nostrDeletionTargetsMigration(engine),
    '008-nip98-claims': nip98ClaimsMigration(),
    '009-stream-image': streamImageMigration(),
    '010-stream-type': streamTypeMigration(),
    '011-stream-tracks': streamTracksMigration(engine),
    '012-stream-signers': streamSignersMigration(),
    '013-stream-goal': streamGoalMigration(),
    '014-zaps': zapsMigration(),
    '015-stream-thumbnail': streamThumbnailMigration(),
    '016-stream-destinations': streamDestinationsMigration(),
    '017-stream-schedule': streamScheduleMigration(),
    '018-viewer-countries': viewerCountriesMigration(),
    '019-stream-metrics-playback': streamMetricsPlaybackMigration(),
  };
}

class InCodeMigrationProvider implements MigrationProvider {
  constructor(private readonly engine: Engine) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.engine);
  }
}

/** Brings the schema up to date; returns the names of the migrations it applied. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db as unknown as Kysely<unknown>,
    provider: new InCodeMigrationProvider(database.engine),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
