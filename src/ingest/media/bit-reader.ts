/**
 * Reads a buffer MSB-first, bit by bit, with the Exp-Golomb codes H.264 parameter sets
 * use (ITU-T H.264 §9.1). Reading past the end throws a RangeError.
 *
 *   const bits = new BitReader(rbsp);
 *   const profile = bits.u(8);
 *   const id = bits.ue();
 */
export class BitReader {
  private position = 0;

  constructor(private readonly data: Buffer) {}

  /** An unsigned value of `count` bits (at most 32). */
  u(count: number): number {
    let value = 0;
    for (let index = 0; index < count; index += 1) value = value * 2 + this.bit();
    return value;
  }

  flag(): boolean {
    return this.bit() === 1;
  }

  skip(count: number): void {
    if (this.position + count > this.data.length * 8) throw new RangeError('read past the end of the bit stream');
    this.position += count;
  }

  /** Unsigned Exp-Golomb. */
  ue(): number {
    let zeros = 0;
    while (this.bit() === 0) {
      zeros += 1;
      if (zeros > 31) throw new RangeError('Exp-Golomb code longer than 32 bits');
    }
    return 2 ** zeros - 1 + this.u(zeros);
  }

  /** Signed Exp-Golomb: 1, −1, 2, −2, … */
  se(): number {
    const code = this.ue();
    return code % 2 === 1 ? (code + 1) / 2 : -code / 2;
  }

  private bit(): number {
    const byte = this.data[this.position >> 3];
    if (byte === undefined) throw new RangeError('read past the end of the bit stream');
    const bit = (byte >> (7 - (this.position & 7))) & 1;
    this.position += 1;
    return bit;
  }
}
