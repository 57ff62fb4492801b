/** One ISO-BMFF box: its four-letter type and its whole bytes, header included. */
export interface Box {
  readonly type: string;
  readonly data: Buffer;
}

const HEADER = 8;
const LARGE_HEADER = 16;

/**
 * Cuts a byte stream (ffmpeg's fMP4 on a pipe) into top-level boxes, however the pipe splits
 * them: a box comes out once all of it has arrived.
 *
 *   const reader = new BoxReader();
 *   for (const box of reader.push(chunk)) …   // { type: 'moof', data }
 */
export class BoxReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  push(chunk: Buffer): Box[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const boxes: Box[] = [];
    for (;;) {
      const size = this.nextSize();
      if (size === undefined || this.pendingBytes < size) return boxes;
      const all = this.joined();
      const data = all.subarray(0, size);
      boxes.push({ type: data.toString('latin1', 4, 8), data });
      this.pending = size < all.length ? [all.subarray(size)] : [];
      this.pendingBytes = all.length - size;
    }
  }

  /** Bytes of a box that has not been completed (a stream cut mid-box). */
  get buffered(): number {
    return this.pendingBytes;
  }

  private nextSize(): number | undefined {
    if (this.pendingBytes < HEADER) return undefined;
    const head = this.joined();
    const size = head.readUInt32BE(0);
    if (size === 1) {
      if (head.length < LARGE_HEADER) return undefined;
      return checked(Number(head.readBigUInt64BE(8)), LARGE_HEADER);
    }
    // Size 0 ("to the end of the file") never comes from a fragmenting muxer on a pipe.
    return checked(size, HEADER);
  }

  private joined(): Buffer {
    if (this.pending.length > 1) this.pending = [Buffer.concat(this.pending)];
    return this.pending[0] ?? Buffer.alloc(0);
  }
}

function checked(size: number, header: number): number {
  if (size < header) throw new Error(`malformed ISO-BMFF box size ${size}`);
  return size;
}

/** The child boxes inside a container box's payload (`moov`, `trak`, `moof`, `traf` …). */
export function childBoxes(container: Buffer, headerSize = HEADER): Box[] {
  const boxes: Box[] = [];
  let offset = headerSize;
  while (offset + HEADER <= container.length) {
    let size = container.readUInt32BE(offset);
    if (size === 1) size = Number(container.readBigUInt64BE(offset + 8));
    else if (size === 0) size = container.length - offset;
    if (size < HEADER || offset + size > container.length) break;
    boxes.push({ type: container.toString('latin1', offset + 4, offset + 8), data: container.subarray(offset, offset + size) });
    offset += size;
  }
  return boxes;
}

/** Every descendant box at `path` below a container (`['trak', 'mdia', 'mdhd']`). */
export function findBoxes(container: Buffer, path: readonly string[]): Box[] {
  const [head, ...rest] = path;
  if (head === undefined) return [];
  const matches = childBoxes(container).filter((box) => box.type === head);
  return rest.length === 0 ? matches : matches.flatMap((box) => findBoxes(box.data, rest));
}
