/**
 * Socket data waiting to be parsed, kept as the list of buffers it arrived in so that
 * appending is O(1) and a large message is copied once, into its own buffer, never
 * re-concatenated on every packet.
 *
 *   queue.push(data);
 *   if (queue.length >= 12) header = queue.read(12);
 */
export class ByteQueue {
  private readonly buffers: Buffer[] = [];
  /** Bytes of `buffers[0]` already consumed. */
  private headOffset = 0;
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(data: Buffer): void {
    if (data.length === 0) return;
    this.buffers.push(data);
    this.total += data.length;
  }

  /** The byte at `index` from the front; the caller checks `length` first. */
  byteAt(index: number): number {
    let offset = this.headOffset + index;
    for (const buffer of this.buffers) {
      if (offset < buffer.length) return buffer[offset] ?? 0;
      offset -= buffer.length;
    }
    throw new RangeError(`byteAt(${index}) past the ${this.total} queued bytes`);
  }

  /** The first `count` bytes without consuming them: a view when they sit in one buffer, else a small copy. */
  peek(count: number): Buffer {
    if (count > this.total) throw new RangeError(`peek(${count}) past the ${this.total} queued bytes`);
    const head = this.buffers[0];
    if (head && head.length - this.headOffset >= count) return head.subarray(this.headOffset, this.headOffset + count);
    const out = Buffer.allocUnsafe(count);
    this.copyTo(out, 0, count);
    return out;
  }

  /** Copies the first `count` bytes into `target` at `targetOffset`, without consuming them. */
  copyTo(target: Buffer, targetOffset: number, count: number): void {
    let remaining = count;
    let written = targetOffset;
    let offset = this.headOffset;
    for (const buffer of this.buffers) {
      if (remaining === 0) break;
      const take = Math.min(buffer.length - offset, remaining);
      buffer.copy(target, written, offset, offset + take);
      written += take;
      remaining -= take;
      offset = 0;
    }
    if (remaining > 0) throw new RangeError(`copyTo(${count}) past the queued bytes`);
  }

  skip(count: number): void {
    if (count > this.total) throw new RangeError(`skip(${count}) past the ${this.total} queued bytes`);
    this.total -= count;
    let remaining = count;
    while (remaining > 0) {
      const head = this.buffers[0];
      if (!head) break;
      const left = head.length - this.headOffset;
      if (remaining < left) {
        this.headOffset += remaining;
        return;
      }
      remaining -= left;
      this.buffers.shift();
      this.headOffset = 0;
    }
  }

  read(count: number): Buffer {
    const out = this.peek(count);
    this.skip(count);
    return out;
  }

  /** Everything queued, consumed. */
  drain(): Buffer {
    return this.read(this.total);
  }
}
