import { useEffect, useRef } from 'react';
import { cn } from '../lib/cn';

const BARS = 32;

/**
 * A live level meter: frequency bars drawn from an AnalyserNode, and the sound's loudness
 * (RMS, 0–1) kept in `data-level` so tests and assistive tools can read it without pixels.
 * Without an analyser (no Web Audio tap in this browser) the bars rest flat.
 *
 *   <AudioVisualizer analyser={tap?.analyser} />
 */
export function AudioVisualizer({ analyser, className }: { analyser: AnalyserNode | undefined; className?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const meter = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    const bins = new Uint8Array(analyser?.frequencyBinCount ?? BARS);
    const samples = new Float32Array(analyser?.fftSize ?? BARS);
    const accent = getComputedStyle(element).getPropertyValue('--color-accent').trim() || '#f97316';
    let frame = 0;
    const draw = () => {
      const { width, height } = element;
      context.clearRect(0, 0, width, height);
      let level = 0;
      if (analyser) {
        analyser.getByteFrequencyData(bins);
        analyser.getFloatTimeDomainData(samples);
        level = Math.sqrt(samples.reduce((sum, sample) => sum + sample * sample, 0) / samples.length);
      }
      meter.current?.setAttribute('data-level', level.toFixed(3));
      // The lower half of the spectrum holds nearly all of music's energy.
      const used = Math.max(BARS, Math.floor(bins.length / 2));
      const slot = width / BARS;
      context.fillStyle = accent;
      for (let bar = 0; bar < BARS; bar += 1) {
        const value = analyser ? (bins[Math.floor((bar * used) / BARS)] ?? 0) / 255 : 0;
        const barHeight = Math.max(2, value * height);
        context.fillRect(bar * slot + 1, height - barHeight, Math.max(1, slot - 2), barHeight);
      }
      frame = requestAnimationFrame(draw);
    };
    draw();
    return () => cancelAnimationFrame(frame);
  }, [analyser]);

  return (
    <div ref={meter} data-testid="level-meter" data-level="0" role="img" aria-label="Sound level" className={cn('h-16 w-full', className)}>
      <canvas ref={canvas} width={320} height={64} className="h-full w-full" />
    </div>
  );
}
