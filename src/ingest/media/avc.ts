import { BitReader } from './bit-reader.js';

/**
 * Picture size and profile from an AVCDecoderConfigurationRecord (ISO/IEC 14496-15
 * §5.2.4.1, the body of an FLV "AVC sequence header"), read from its first SPS
 * (ITU-T H.264 §7.3.2.1.1) including frame cropping, so 640x360 reads as 640x360 and
 * not as the coded 640x368.
 *
 *   const avc = parseAvcDecoderConfig(tagData.subarray(5));
 *   // { profile: 'High', level: 3, width: 640, height: 360 }
 */
export interface AvcConfig {
  readonly profile: string;
  /** e.g. 3.1 */
  readonly level: number;
  readonly width: number;
  readonly height: number;
}

const PROFILES: Record<number, string> = {
  44: 'CAVLC 4:4:4 Intra',
  66: 'Baseline',
  77: 'Main',
  88: 'Extended',
  100: 'High',
  110: 'High 10',
  122: 'High 4:2:2',
  244: 'High 4:4:4 Predictive',
};
/** Profiles whose SPS carries chroma format, bit depth and scaling matrices. */
const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/** null when the record holds no readable SPS. */
export function parseAvcDecoderConfig(record: Buffer): AvcConfig | null {
  if (record.length < 8 || record[0] !== 1) return null;
  const spsCount = (record[5] ?? 0) & 0x1f;
  if (spsCount === 0) return null;
  const spsLength = record.readUInt16BE(6);
  if (8 + spsLength > record.length) return null;
  try {
    return parseSps(record.subarray(8, 8 + spsLength));
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

function parseSps(nal: Buffer): AvcConfig | null {
  if (((nal[0] ?? 0) & 0x1f) !== 7) return null;
  const bits = new BitReader(unescapeRbsp(nal.subarray(1)));
  const profileIdc = bits.u(8);
  const constraints = bits.u(8);
  const levelIdc = bits.u(8);
  bits.ue(); // seq_parameter_set_id

  let chromaFormat = 1;
  let separateColourPlanes = false;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormat = bits.ue();
    if (chromaFormat === 3) separateColourPlanes = bits.flag();
    bits.ue(); // bit_depth_luma_minus8
    bits.ue(); // bit_depth_chroma_minus8
    bits.skip(1); // qpprime_y_zero_transform_bypass_flag
    if (bits.flag()) skipScalingMatrices(bits, chromaFormat === 3 ? 12 : 8);
  }
  bits.ue(); // log2_max_frame_num_minus4
  const pocType = bits.ue();
  if (pocType === 0) {
    bits.ue(); // log2_max_pic_order_cnt_lsb_minus4
  } else if (pocType === 1) {
    bits.skip(1); // delta_pic_order_always_zero_flag
    bits.se(); // offset_for_non_ref_pic
    bits.se(); // offset_for_top_to_bottom_field
    const cycle = bits.ue();
    for (let index = 0; index < cycle; index += 1) bits.se();
  }
  bits.ue(); // max_num_ref_frames
  bits.skip(1); // gaps_in_frame_num_value_allowed_flag
  const widthInMbs = bits.ue() + 1;
  const heightInMapUnits = bits.ue() + 1;
  const frameMbsOnly = bits.flag();
  if (!frameMbsOnly) bits.skip(1); // mb_adaptive_frame_field_flag
  bits.skip(1); // direct_8x8_inference_flag
  const crop = bits.flag() ? { left: bits.ue(), right: bits.ue(), top: bits.ue(), bottom: bits.ue() } : null;

  // Crop offsets count in chroma samples (Table 6-1); monochrome or separate planes count in luma.
  const fieldFactor = frameMbsOnly ? 1 : 2;
  const chromaArray = separateColourPlanes ? 0 : chromaFormat;
  const cropUnitX = chromaArray === 1 || chromaArray === 2 ? 2 : 1;
  const cropUnitY = (chromaArray === 1 ? 2 : 1) * fieldFactor;
  const width = widthInMbs * 16 - (crop ? cropUnitX * (crop.left + crop.right) : 0);
  const height = heightInMapUnits * 16 * fieldFactor - (crop ? cropUnitY * (crop.top + crop.bottom) : 0);

  const constrainedBaseline = profileIdc === 66 && (constraints & 0x40) !== 0;
  return {
    profile: constrainedBaseline ? 'Constrained Baseline' : (PROFILES[profileIdc] ?? `profile ${profileIdc}`),
    level: levelIdc / 10,
    width,
    height,
  };
}

function skipScalingMatrices(bits: BitReader, count: number): void {
  for (let list = 0; list < count; list += 1) {
    if (!bits.flag()) continue;
    const size = list < 6 ? 16 : 64;
    let last = 8;
    let next = 8;
    for (let index = 0; index < size && next !== 0; index += 1) {
      next = (last + bits.se() + 256) % 256;
      if (next !== 0) last = next;
    }
  }
}

/** Drops the emulation-prevention byte of every 00 00 03 sequence (H.264 §7.4.1). */
function unescapeRbsp(data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(data.length);
  let length = 0;
  let zeros = 0;
  for (const byte of data) {
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    zeros = byte === 0 ? zeros + 1 : 0;
    out[length] = byte;
    length += 1;
  }
  return out.subarray(0, length);
}
