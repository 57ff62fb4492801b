/**
 * The transcoding ladder. Every stream gets its `source` rendition; the stream's quality
 * choice names the highest transcoded rung, and every rung below it is produced too
 * (never upscaled past the source).
 */
export const LADDER = [
  { name: '720p', width: 1280, height: 720, videoKbps: 2500, audioKbps: 128 },
  { name: '480p', width: 854, height: 480, videoKbps: 1000, audioKbps: 96 },
  { name: '360p', width: 640, height: 360, videoKbps: 600, audioKbps: 64 },
] as const;

export type Rendition = (typeof LADDER)[number];
export type RenditionName = Rendition['name'];

export const QUALITY_CHOICES = ['720p', '480p', '360p', 'source'] as const;
export type QualityChoice = (typeof QUALITY_CHOICES)[number];
export const DEFAULT_QUALITY: QualityChoice = '720p';

/** The transcoded rungs a quality choice asks for, highest first. */
export function renditionsFor(choice: QualityChoice): Rendition[] {
  if (choice === 'source') return [];
  const top = LADDER.findIndex((rendition) => rendition.name === choice);
  return LADDER.slice(top);
}
