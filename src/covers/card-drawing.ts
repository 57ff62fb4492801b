import { createHash } from 'node:crypto';

/** What a generated cover card shows: a stream's title and host on colours of its own. */
export interface CardContent {
  readonly streamId: string;
  readonly title: string;
  readonly host: string;
}

type Rgb = readonly [number, number, number];

export const CARD_WIDTH = 1280;
export const CARD_HEIGHT = 720;
const TITLE_SIZE = 84;
const TITLE_LINE = 104;
const HOST_SIZE = 44;
const TITLE_LINE_CHARACTERS = 22;
const TITLE_LINES = 3;

/**
 * The ffmpeg arguments that draw a card as one PNG: a diagonal gradient whose two colours
 * come from the stream's id (so each stream keeps its own), the title wrapped in large
 * centred lines, the host's name smaller below. Without `withText` only the gradient is
 * drawn: what is left when no font can be loaded.
 *
 *   spawn('ffmpeg', cardArgs(content, '/data/covers/x.png.tmp', true));
 */
export function cardArgs(content: CardContent, output: string, withText: boolean): string[] {
  const [from, to] = cardColours(content.streamId);
  // Each channel runs from one colour to the other along the diagonal.
  const channel = (index: 0 | 1 | 2) => `'${from[index]}+(${to[index] - from[index]})*(X/W+Y/H)/2'`;
  const gradient = `color=c=black:s=${CARD_WIDTH}x${CARD_HEIGHT}:d=1:r=1,format=gbrp,geq=r=${channel(0)}:g=${channel(1)}:b=${channel(2)}`;
  const filters = withText ? textFilters(content) : [];
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
    '-f', 'lavfi', '-i', gradient,
    ...(filters.length > 0 ? ['-vf', filters.join(',')] : []),
    '-frames:v', '1', '-update', '1', '-f', 'image2', '-c:v', 'png', output,
  ];
}

/** Names everything the card draws: a card is made again only when one of these changes. */
export function cardKey(content: CardContent): string {
  return createHash('sha256').update(JSON.stringify(cardArgs(content, '', true))).digest('hex').slice(0, 32);
}

function textFilters(content: CardContent): string[] {
  const lines = titleLines(content.title);
  const host = printable(content.host);
  // Baselines, so lines with and without descenders sit evenly; the block is centred above the host.
  const firstBaseline = Math.round(CARD_HEIGHT * 0.45 - ((lines.length - 1) * TITLE_LINE) / 2);
  const drawn = lines.map((line, index) => drawtext(line, TITLE_SIZE, 'white', firstBaseline + index * TITLE_LINE));
  if (host) drawn.push(drawtext(host, HOST_SIZE, 'white@0.85', firstBaseline + (lines.length - 1) * TITLE_LINE + 110));
  return drawn;
}

function drawtext(text: string, size: number, colour: string, baseline: number): string {
  // expansion=none: a title's `%{…}` is text, not a function call.
  return [
    'drawtext=font=DejaVu Sans',
    'expansion=none',
    `text=${filterValue(text)}`,
    `fontsize=${size}`,
    `fontcolor=${colour}`,
    'shadowcolor=black@0.35:shadowx=2:shadowy=2',
    'x=(w-text_w)/2',
    `y=${baseline}-ascent`,
  ].join(':');
}

/**
 * A value as the filter graph takes it: escaped once for the filter's own options (`\`, `'`,
 * `:`) and once more for the graph around it (`\`, `'`, `[`, `]`, `,`, `;`).
 */
export function filterValue(value: string): string {
  return escape(escape(value, /[\\':]/g), /[\\'[\],;]/g);
}

function escape(value: string, special: RegExp): string {
  return value.replace(special, (character) => `\\${character}`);
}

/**
 * The title in at most three lines of about 22 characters, broken between words (a word
 * longer than a line is cut), the last line ending in "…" when the title does not fit.
 */
export function titleLines(title: string): string[] {
  const words = printable(title).split(' ').filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words.flatMap((word) => chunks(word, TITLE_LINE_CHARACTERS))) {
    const joined = line ? `${line} ${word}` : word;
    if (Array.from(joined).length <= TITLE_LINE_CHARACTERS) {
      line = joined;
      continue;
    }
    lines.push(line);
    line = word;
  }
  if (line) lines.push(line);
  if (lines.length <= TITLE_LINES) return lines;
  const kept = lines.slice(0, TITLE_LINES);
  const last = Array.from(kept[TITLE_LINES - 1] ?? '');
  kept[TITLE_LINES - 1] = `${last.slice(0, TITLE_LINE_CHARACTERS - 1).join('')}…`;
  return kept;
}

function chunks(word: string, size: number): string[] {
  const characters = Array.from(word);
  const parts: string[] = [];
  for (let start = 0; start < characters.length; start += size) parts.push(characters.slice(start, start + size).join(''));
  return parts;
}

/**
 * Text the card's font can draw: control characters and line breaks become spaces, and
 * emoji go (DejaVu Sans has none, ffmpeg would draw empty boxes).
 */
function printable(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\u20E3\uFE0F]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Two colours picked by the stream's id: a hue, and one a third of the wheel on, both deep enough for white text. */
function cardColours(streamId: string): [Rgb, Rgb] {
  const digest = createHash('sha256').update(streamId).digest();
  const hue = ((digest[0] ?? 0) * 256 + (digest[1] ?? 0)) % 360;
  return [hsl(hue, 0.55, 0.32), hsl((hue + 120) % 360, 0.65, 0.42)];
}

function hsl(hue: number, saturation: number, lightness: number): Rgb {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const x = chroma * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = lightness - chroma / 2;
  const sectors: readonly Rgb[] = [
    [chroma, x, 0],
    [x, chroma, 0],
    [0, chroma, x],
    [0, x, chroma],
    [x, 0, chroma],
    [chroma, 0, x],
  ];
  const [r, g, b] = sectors[Math.floor(hue / 60)] ?? sectors[0] ?? [0, 0, 0];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}
