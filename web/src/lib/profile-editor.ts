import { KIND } from '../../../src/protocol/kinds';
import type { NostrEvent } from '../../../src/protocol/nostr-event';
import { unixNow } from '../../../src/protocol/time';
import type { Signer } from '../signers/signer';
import { pool } from './nostr';
import { profileFields } from './profiles';
import { READ_TIMEOUT_MS, readNewest, type NewestRead } from './relay-read';
import { userRelays } from './user-relays';

/** What the profile form edits; every other field of the kind 0 is kept as it was. */
export interface ProfileForm {
  name: string;
  picture: string;
  about: string;
  lud16: string;
}

const LIMITS = { name: 100, picture: 1000, about: 2000, lud16: 200 } as const;
/** A lightning address (LUD-16) is `name@domain`, as an email address is. */
const LIGHTNING_ADDRESS = /^[a-z0-9._+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/** The first problem with the form, per field, in words to show beside it. */
export function profileFormErrors(form: ProfileForm): Partial<Record<keyof ProfileForm, string>> {
  const errors: Partial<Record<keyof ProfileForm, string>> = {};
  for (const key of Object.keys(LIMITS) as (keyof ProfileForm)[]) {
    if (form[key].trim().length > LIMITS[key]) errors[key] = `Keep it under ${LIMITS[key]} characters.`;
  }
  const picture = form.picture.trim();
  if (picture && !/^https?:\/\/[^\s]+$/i.test(picture)) errors.picture = 'Give the address of an image on the web, starting with https://.';
  const lud16 = form.lud16.trim();
  if (lud16 && !LIGHTNING_ADDRESS.test(lud16)) errors.lud16 = 'A lightning address looks like name@domain.com (from your wallet).';
  return errors;
}

/**
 * The form's fields over the existing ones: a field left empty is removed; fields the form does not know stay.
 * The Name field is the name clients show: `display_name` when the profile has one (it wins over `name`
 * everywhere), so editing it changes what people see and leaves the `name` handle as it was.
 */
export function mergedProfile(existing: Record<string, unknown> | null, form: ProfileForm): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...existing };
  for (const key of Object.keys(LIMITS) as (keyof ProfileForm)[]) {
    const target = key === 'name' && hasDisplayName(existing) ? 'display_name' : key;
    const value = form[key].trim();
    if (value) merged[target] = value;
    else delete merged[target];
  }
  return merged;
}

const hasDisplayName = (fields: Record<string, unknown> | null) =>
  typeof fields?.display_name === 'string' && fields.display_name.trim() !== '';

/**
 * The kind 0 to build on, or why none is safe to build on: a kind 0 replaces the whole
 * profile, so writing over one not read would erase its picture, nip05, banner and the rest.
 * An account created in this tab has none anywhere yet.
 */
export function profileBase(read: NewestRead, createdHere: boolean): NostrEvent | null {
  if (createdHere || read.event) return read.event;
  const seconds = READ_TIMEOUT_MS / 1000;
  if (read.answered.length === 0) {
    throw new Error(
      `Your current profile could not be read: none of your relays (${read.silent.join(', ')}) answered within ${seconds} s. Saving now could erase what it holds, so nothing was saved; try again when they answer.`,
    );
  }
  if (read.silent.length > 0) {
    throw new Error(
      `Your profile was not found on the relays that answered, and ${read.silent.join(', ')} did not answer within ${seconds} s: it may be there. Nothing was saved, so none of it is lost; try again when it answers.`,
    );
  }
  return null;
}

export interface SavedProfile {
  readonly event: NostrEvent;
  readonly accepted: readonly string[];
  readonly refused: readonly string[];
}

/**
 * Reads the newest kind 0 again (another app may have changed it since the form was filled),
 * writes the form over it and publishes it to our relay, the configured ones and the user's
 * NIP-65 write relays. A new account also gets a NIP-65 list naming those relays, so other
 * clients know where to find it.
 */
export async function saveProfile(options: {
  signer: Signer;
  pubkey: string;
  base: readonly string[];
  form: ProfileForm;
  createdHere: boolean;
}): Promise<SavedProfile> {
  const { signer, pubkey, base, form, createdHere } = options;
  const targets = await userRelays(base, pubkey);
  const current = profileBase(await readNewest(targets, { kinds: [KIND.metadata], authors: [pubkey] }), createdHere);
  const createdAt = Math.max(unixNow(), (current?.created_at ?? 0) + 1);
  const event = await signer.signEvent({
    kind: KIND.metadata,
    created_at: createdAt,
    tags: current?.tags ?? [],
    content: JSON.stringify(mergedProfile(profileFields(current), form)),
  });
  const outcome = await publishTo(targets, event);
  if (outcome.accepted.length === 0) throw new Error(`No relay accepted your profile (${outcome.refused.join('; ')}). Nothing was saved; try again.`);
  if (createdHere) {
    const list = await signer.signEvent({ kind: KIND.relayList, created_at: createdAt, tags: base.map((url) => ['r', url]), content: '' });
    await publishTo(targets, list);
  }
  return { event, ...outcome };
}

async function publishTo(relays: readonly string[], event: NostrEvent): Promise<{ accepted: string[]; refused: string[] }> {
  const results = await Promise.allSettled(pool.publish([...relays], event));
  const accepted: string[] = [];
  const refused: string[] = [];
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') accepted.push(relays[index] ?? '');
    else refused.push(`${relays[index]}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`);
  });
  return { accepted, refused };
}
