import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureLogs } from '../../testkit/publishers.js';
import { filterValue, titleLines } from './card-drawing.js';
import { CoverCards } from './cover-cards.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function sizeOf(dir: string, png: Buffer): string {
  const file = path.join(dir, 'probe.png');
  writeFileSync(file, png);
  const probe = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return probe.stdout.trim();
}

describe('cover card text', () => {
  it('wraps a title between words in up to three lines, cutting long words and ending in "…"', () => {
    expect(titleLines('Late night jazz with friends and a very long tail of words')).toEqual([
      'Late night jazz with',
      'friends and a very',
      'long tail of words',
    ]);
    expect(titleLines('Supercalifragilisticexpialidocious')).toEqual(['Supercalifragilisticex', 'pialidocious']);
    const lines = titleLines('one two three four five six seven eight nine ten eleven twelve thirteen fourteen');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/…$/);
  });

  it('drops emoji and line breaks, which the font cannot draw', () => {
    expect(titleLines('\u{1F3B5} Beats\nand\tbass \u{1F525}\u{1F1FA}\u{1F1F8}')).toEqual(['Beats and bass']);
  });

  it('escapes quotes, colons, backslashes and the graph\'s separators twice (option, then graph)', () => {
    expect(filterValue(`a'b`)).toBe(`a\\\\\\'b`);
    expect(filterValue('a:b')).toBe('a\\\\:b');
    expect(filterValue('a\\b')).toBe('a\\\\\\\\b');
    expect(filterValue('[a,b;c]')).toBe('\\[a\\,b\\;c\\]');
    expect(filterValue('100% %{pts}')).toBe('100% %{pts}');
  });
});

describe('cover cards drawn by ffmpeg', () => {
  let dir: string;
  let logs: ReturnType<typeof captureLogs>;
  const warnings = () => logs.text().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.level === 40);

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wlk-covers-'));
    logs = captureLogs();
  });
  afterEach(() => {
    delete process.env.FONTCONFIG_FILE;
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws a 1280x720 PNG once per title, keeping only the newest card of a stream', async () => {
    const cards = new CoverCards('ffmpeg', dir, logs.logger);
    const title = `It's 100% "live": C:\\mix\\ [a,b;c] %{pts} \u{1F3B5}`;
    const first = await cards.card({ streamId: 'stream-1', title, host: 'DJ' });
    expect(first.png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(sizeOf(dir, first.png)).toBe('png,1280,720');
    expect(readdirSync(path.join(dir, 'covers'))).toEqual([`stream-1-${first.key}.png`]);

    const [again, together] = await Promise.all([cards.card({ streamId: 'stream-1', title, host: 'DJ' }), cards.card({ streamId: 'stream-1', title, host: 'DJ' })]);
    expect(again).toEqual(first);
    expect(together).toEqual(first);

    const retitled = await cards.card({ streamId: 'stream-1', title: 'Another show', host: 'DJ' });
    expect(retitled.key).not.toBe(first.key);
    expect(readdirSync(path.join(dir, 'covers'))).toEqual([`stream-1-${retitled.key}.png`]);
    expect(warnings()).toEqual([]);
  });

  it('still answers a card, a plain gradient, when no font can be found, and says which package to install', async () => {
    const emptyConfig = path.join(dir, 'no-fonts.conf');
    writeFileSync(emptyConfig, '<?xml version="1.0"?>\n<fontconfig></fontconfig>\n');
    process.env.FONTCONFIG_FILE = emptyConfig;
    const cards = new CoverCards('ffmpeg', dir, logs.logger);
    const card = await cards.card({ streamId: 'stream-2', title: 'No fonts here', host: 'DJ' });
    expect(card.png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(sizeOf(dir, card.png)).toBe('png,1280,720');
    expect(warnings().map((line) => line.msg)).toEqual([expect.stringMatching(/install the DejaVu Sans font \(apt-get install fonts-dejavu-core\)/)]);
  });
});
