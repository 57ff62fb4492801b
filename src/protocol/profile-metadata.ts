/** The kind 0 fields this service and its web app read; a kind 0's other fields are kept by editors, never read. */
export interface ProfileMetadata {
  name?: string;
  display_name?: string;
  picture?: string;
  about?: string;
  lud16?: string;
  /** The older LNURL form of a lightning address (bech32), read when there is no lud16. */
  lud06?: string;
}

const KNOWN = ['name', 'display_name', 'picture', 'about', 'lud16', 'lud06'] as const;

/** A kind 0's content as the JSON object it holds (every field, known or not); null when it is not one. */
export function metadataFields(content: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(content);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The known fields of a kind 0's content: non-empty strings only, trimmed (a kind 0 is anyone's
 * free-form JSON, and a client may have written anything there); null when it is not a JSON object.
 *
 *   parseProfileMetadata('{"name":" DJ ","picture":42}') // { name: 'DJ' }
 */
export function parseProfileMetadata(content: string): ProfileMetadata | null {
  const fields = metadataFields(content);
  if (!fields) return null;
  const profile: ProfileMetadata = {};
  for (const key of KNOWN) {
    const value = fields[key];
    if (typeof value === 'string' && value.trim()) profile[key] = value.trim();
  }
  return profile;
}
