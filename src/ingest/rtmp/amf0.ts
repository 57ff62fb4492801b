/**
 * AMF0, the value encoding of RTMP commands and of onMetaData (Adobe's AMF0 spec).
 *
 *   const payload = encodeAmf0('_result', 1, { fmsVer: 'FMS/3,0,1,123' }, null);
 *   const [name, transactionId, ...rest] = decodeAmf0(payload);
 *
 * JS mapping: number, boolean, string (long string past 65535 bytes), null, undefined,
 * Date, arrays (strict array), plain objects (object), and `Amf0EcmaArray` for the
 * associative "ECMA array" that onMetaData uses. A typed object decodes to a plain object.
 */
export type Amf0Value =
  | number
  | boolean
  | string
  | null
  | undefined
  | Date
  | Amf0Value[]
  | Amf0EcmaArray
  | Amf0Object;

export interface Amf0Object {
  [key: string]: Amf0Value;
}

/** Kept distinct from a plain object so that it encodes back as marker 0x08, as onMetaData is sent. */
export class Amf0EcmaArray {
  constructor(readonly entries: Amf0Object) {}
}

export class Amf0Error extends Error {
  override name = 'Amf0Error';
}

const MARKER = {
  number: 0x00,
  boolean: 0x01,
  string: 0x02,
  object: 0x03,
  null: 0x05,
  undefined: 0x06,
  reference: 0x07,
  ecmaArray: 0x08,
  objectEnd: 0x09,
  strictArray: 0x0a,
  date: 0x0b,
  longString: 0x0c,
  unsupported: 0x0d,
  xmlDocument: 0x0f,
  typedObject: 0x10,
  avmPlus: 0x11,
} as const;

/** Nesting deeper than this is refused: a hostile payload must not exhaust the stack. */
const MAX_DEPTH = 64;

export function encodeAmf0(...values: Amf0Value[]): Buffer {
  const parts: Buffer[] = [];
  for (const value of values) writeValue(parts, value);
  return Buffer.concat(parts);
}

/** Every value in `payload`, in order. Throws `Amf0Error` on malformed or unsupported data. */
export function decodeAmf0(payload: Buffer): Amf0Value[] {
  const reader = new Amf0Reader(payload);
  const values: Amf0Value[] = [];
  while (!reader.done) values.push(reader.value(0));
  return values;
}

/** The properties of an object or ECMA array value (onMetaData comes as either), else undefined. */
export function amf0Properties(value: Amf0Value): Amf0Object | undefined {
  if (value instanceof Amf0EcmaArray) return value.entries;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) return value;
  return undefined;
}

function writeValue(parts: Buffer[], value: Amf0Value): void {
  if (typeof value === 'number') {
    const out = Buffer.allocUnsafe(9);
    out[0] = MARKER.number;
    out.writeDoubleBE(value, 1);
    parts.push(out);
  } else if (typeof value === 'boolean') {
    parts.push(Buffer.from([MARKER.boolean, value ? 1 : 0]));
  } else if (typeof value === 'string') {
    writeString(parts, value);
  } else if (value === null) {
    parts.push(Buffer.from([MARKER.null]));
  } else if (value === undefined) {
    parts.push(Buffer.from([MARKER.undefined]));
  } else if (value instanceof Date) {
    const out = Buffer.alloc(11);
    out[0] = MARKER.date;
    out.writeDoubleBE(value.getTime(), 1);
    parts.push(out); // time zone (last two bytes) is reserved and must be 0
  } else if (Array.isArray(value)) {
    const head = Buffer.allocUnsafe(5);
    head[0] = MARKER.strictArray;
    head.writeUInt32BE(value.length, 1);
    parts.push(head);
    for (const item of value) writeValue(parts, item);
  } else if (value instanceof Amf0EcmaArray) {
    const head = Buffer.allocUnsafe(5);
    head[0] = MARKER.ecmaArray;
    head.writeUInt32BE(Object.keys(value.entries).length, 1);
    parts.push(head);
    writeProperties(parts, value.entries);
  } else {
    parts.push(Buffer.from([MARKER.object]));
    writeProperties(parts, value);
  }
}

function writeString(parts: Buffer[], value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  const long = bytes.length > 0xffff;
  const head = Buffer.allocUnsafe(long ? 5 : 3);
  head[0] = long ? MARKER.longString : MARKER.string;
  if (long) head.writeUInt32BE(bytes.length, 1);
  else head.writeUInt16BE(bytes.length, 1);
  parts.push(head, bytes);
}

function writeProperties(parts: Buffer[], object: Amf0Object): void {
  for (const [key, item] of Object.entries(object)) {
    const name = Buffer.from(key, 'utf8');
    if (name.length > 0xffff) throw new Amf0Error('an AMF0 property name is longer than 65535 bytes');
    const length = Buffer.allocUnsafe(2);
    length.writeUInt16BE(name.length, 0);
    parts.push(length, name);
    writeValue(parts, item);
  }
  parts.push(Buffer.from([0x00, 0x00, MARKER.objectEnd]));
}

class Amf0Reader {
  private offset = 0;

  constructor(private readonly data: Buffer) {}

  get done(): boolean {
    return this.offset >= this.data.length;
  }

  value(depth: number): Amf0Value {
    if (depth > MAX_DEPTH) throw new Amf0Error('AMF0 value nested too deeply');
    const marker = this.take(1).readUInt8(0);
    switch (marker) {
      case MARKER.number:
        return this.take(8).readDoubleBE(0);
      case MARKER.boolean:
        return this.take(1).readUInt8(0) !== 0;
      case MARKER.string:
        return this.utf8(this.take(2).readUInt16BE(0));
      case MARKER.longString:
      case MARKER.xmlDocument:
        return this.utf8(this.take(4).readUInt32BE(0));
      case MARKER.object:
        return this.properties(depth);
      case MARKER.typedObject:
        this.utf8(this.take(2).readUInt16BE(0)); // class name: not needed by RTMP ingest
        return this.properties(depth);
      case MARKER.ecmaArray:
        this.take(4); // the count is a hint; the properties end with the end marker
        return new Amf0EcmaArray(this.properties(depth));
      case MARKER.strictArray: {
        const count = this.take(4).readUInt32BE(0);
        // Each value takes at least one byte: a count beyond the payload is a lie.
        if (count > this.data.length - this.offset) throw new Amf0Error('AMF0 strict array longer than its payload');
        const items: Amf0Value[] = [];
        for (let index = 0; index < count; index += 1) items.push(this.value(depth + 1));
        return items;
      }
      case MARKER.date: {
        const time = this.take(10).readDoubleBE(0);
        return new Date(time);
      }
      case MARKER.null:
        return null;
      case MARKER.undefined:
      case MARKER.unsupported:
        return undefined;
      case MARKER.reference:
        throw new Amf0Error('AMF0 references are not supported');
      case MARKER.avmPlus:
        throw new Amf0Error('AMF3 values are not supported; publish with AMF0');
      default:
        throw new Amf0Error(`unknown AMF0 marker 0x${marker.toString(16)}`);
    }
  }

  private properties(depth: number): Amf0Object {
    const object: Amf0Object = {};
    for (;;) {
      // Some encoders end an ECMA array at the payload's end without the end marker.
      if (this.done) return object;
      const key = this.utf8(this.take(2).readUInt16BE(0));
      if (key === '' && this.data[this.offset] === MARKER.objectEnd) {
        this.offset += 1;
        return object;
      }
      // defineProperty: a key named "__proto__" must stay data, not change the prototype.
      Object.defineProperty(object, key, { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
    }
  }

  private utf8(length: number): string {
    return this.take(length).toString('utf8');
  }

  private take(count: number): Buffer {
    if (this.offset + count > this.data.length) throw new Amf0Error('AMF0 value cut short');
    const out = this.data.subarray(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }
}
