import { PictureInPicture2 } from 'lucide-react';
import { useEffect, useState, type RefObject } from 'react';
import { Button } from '../ui/button';

export interface PictureInPicture {
  /** The browser offers it (and the page may use it). */
  readonly available: boolean;
  readonly active: boolean;
  toggle(): void;
}

/**
 * Picture-in-picture for the player's video: the picture floats over other tabs and windows
 * while the viewer does something else.
 *
 *   const pip = usePictureInPicture(video);
 *   {pip.available && <PictureInPictureButton pip={pip} />}
 */
export function usePictureInPicture(video: RefObject<HTMLVideoElement>): PictureInPicture {
  const [active, setActive] = useState(false);
  useEffect(() => {
    const element = video.current;
    if (!element) return;
    const enter = () => setActive(true);
    const leave = () => setActive(false);
    element.addEventListener('enterpictureinpicture', enter);
    element.addEventListener('leavepictureinpicture', leave);
    return () => {
      element.removeEventListener('enterpictureinpicture', enter);
      element.removeEventListener('leavepictureinpicture', leave);
    };
  }, [video]);
  return {
    available: typeof document !== 'undefined' && document.pictureInPictureEnabled === true,
    active,
    toggle: () => {
      const element = video.current;
      if (!element) return;
      // Refused without a picture yet or outside a gesture: nothing to tell the viewer beyond the button not toggling.
      if (document.pictureInPictureElement === element) void document.exitPictureInPicture().catch(() => undefined);
      else void element.requestPictureInPicture().catch(() => undefined);
    },
  };
}

export function PictureInPictureButton({ pip }: { pip: PictureInPicture }) {
  return (
    <Button
      size="icon"
      variant="ghost"
      aria-label="Picture-in-picture"
      aria-pressed={pip.active}
      onClick={pip.toggle}
    >
      <PictureInPicture2 className="h-4 w-4" />
    </Button>
  );
}
