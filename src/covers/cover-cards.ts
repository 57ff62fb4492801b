import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { FfmpegProcess } from '../media/ffmpeg-process.js';
import { cardArgs, cardKey, type CardContent } from './card-drawing.js';

export interface CoverCard {
  readonly png: Buffer;
  /** Names what the card draws: the same until the title or host changes. */
  readonly key: string;
}

/**
 * Generated cover cards for audio streams with no picture of their own, made by one ffmpeg
 * run and kept as `<dataDir>/covers/<stream>-<key>.png`, where the key hashes what the card
 * draws: a card is made once per title (or host name) and then read from disk, and a
 * stream keeps only its newest card. Requests for a card still being made wait for it.
 *
 *   const cards = new CoverCards(config.ffmpegPath, config.dataDir, logger);
 *   const { png, key } = await cards.card({ streamId, title, host });
 */
export class CoverCards {
  private readonly dir: string;
  private readonly making = new Map<string, Promise<Buffer>>();
  /** False once ffmpeg failed to draw text (no font): cards are then plain gradients. */
  private textDrawable = true;

  constructor(
    private readonly ffmpegPath: string,
    dataDir: string,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {
    this.dir = path.join(dataDir, 'covers');
  }

  async card(content: CardContent): Promise<CoverCard> {
    const key = cardKey(content);
    const withText = this.textDrawable;
    const file = path.join(this.dir, `${content.streamId}-${key}${withText ? '' : '-plain'}.png`);
    const cached = await readFile(file).catch(() => undefined);
    if (cached) return { png: cached, key };
    let made = this.making.get(file);
    if (!made) {
      made = this.make(content, file, withText).finally(() => this.making.delete(file));
      this.making.set(file, made);
    }
    return { png: await made, key };
  }

  private async make(content: CardContent, file: string, withText: boolean): Promise<Buffer> {
    await mkdir(this.dir, { recursive: true });
    const temporary = `${file}.tmp`;
    const exit = await new FfmpegProcess(this.ffmpegPath, cardArgs(content, temporary, withText)).exited;
    if (exit.code !== 0 && withText) {
      // Without a font drawtext fails: a plain gradient is still a cover. Until a restart (with
      // the font installed) cards are plain, and kept apart from the ones with text.
      this.textDrawable = false;
      this.logger.warn(
        { streamId: content.streamId, reason: exit.reason },
        'cover cards are drawn without their title: ffmpeg could not draw text; install the DejaVu Sans font (apt-get install fonts-dejavu-core) and restart',
      );
      return this.make(content, file.replace(/\.png$/, '-plain.png'), false);
    }
    if (exit.code !== 0) throw new Error(`ffmpeg could not draw a cover card: ${exit.reason}`);
    await rename(temporary, file);
    await this.forgetOlder(content.streamId, file);
    return readFile(file);
  }
  /** The stream's earlier cards (an older title) are not needed again. */
  private async forgetOlder(streamId: string, newest: string): Promise<void> {
    const names = await readdir(this.dir).catch(() => []);
    const older = names.filter((name) => name.startsWith(`${streamId}-`) && name.endsWith('.png') && path.join(this.dir, name) !== newest);
    await Promise.all(older.map((name) => rm(path.join(this.dir, name), { force: true })));
  }
}
