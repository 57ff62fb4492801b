/** A Web Audio analyser listening to what a media element plays. */
export interface AudioTap {
  readonly analyser: AnalyserNode;
  /** Starts the audio context: browsers keep it suspended until a gesture (or allowed autoplay). */
  resume(): Promise<void>;
  close(): void;
}

/** Chrome's (unprefixed) capture of what an element plays; Firefox's prefixed one mutes the element, so it is not used. */
interface CapturingElement extends HTMLMediaElement {
  captureStream(): MediaStream;
}
const canCapture = (element: HTMLMediaElement): element is CapturingElement =>
  typeof (element as Partial<CapturingElement>).captureStream === 'function';

/**
 * Taps an element's sound into an AnalyserNode, without taking its playback away from it
 * where that can be helped: routing an element through Web Audio (MediaElementSource) ties
 * its sound to the AudioContext, which phones suspend when the screen locks, and Safari's
 * native HLS plays silence through it. So: Chrome's captureStream when there is one (the
 * element keeps playing on its own); else a MediaElementSource, but only on a desktop
 * (a fine pointer) and only for hls.js's blob: sources; else no tap (no visualizer).
 *
 *   const tap = tapAudio(audio); await tap?.resume(); tap?.analyser.getByteFrequencyData(bins);
 */
export function tapAudio(element: HTMLMediaElement): AudioTap | undefined {
  const capture = canCapture(element);
  const desktop = window.matchMedia('(pointer: fine)').matches;
  if (!capture && !(desktop && element.currentSrc.startsWith('blob:'))) return undefined;
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 256;
  analyser.smoothingTimeConstant = 0.75;
  let onTrack: (() => void) | undefined;
  let stream: MediaStream | undefined;
  if (capture) {
    stream = element.captureStream();
    const captured = stream;
    let source: MediaStreamAudioSourceNode | undefined;
    // The captured stream gains its audio track once media flows, and a new one after a reload.
    onTrack = () => {
      const track = captured.getAudioTracks().at(-1);
      if (!track) return;
      source?.disconnect();
      source = context.createMediaStreamSource(new MediaStream([track]));
      source.connect(analyser);
    };
    onTrack();
    stream.addEventListener('addtrack', onTrack);
    // Chrome renders only nodes that reach the destination: a silent gain gets the analyser there.
    const silent = context.createGain();
    silent.gain.value = 0;
    analyser.connect(silent).connect(context.destination);
  } else {
    context.createMediaElementSource(element).connect(analyser);
    analyser.connect(context.destination);
  }
  return {
    analyser,
    resume: () => (context.state === 'suspended' ? context.resume() : Promise.resolve()),
    close: () => {
      if (onTrack) stream?.removeEventListener('addtrack', onTrack);
      void context.close();
    },
  };
}
