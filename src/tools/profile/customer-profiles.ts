import { z } from 'zod';
import { AppError } from '../../shared/errors';

/**
 * The part of botbuilder's `Storage` the profiles use: items by key, written with the `eTag` they were read
 * with, so two writers cannot both spend the last avatar of the day. The bot's own `Storage` fits as it is.
 */
export interface KeyValueStorage {
  read(keys: string[]): Promise<Record<string, unknown>>;
  write(changes: Record<string, unknown>): Promise<void>;
}

/** Whose profile: a verified customer's (kept across conversations), or an unverified conversation's. */
export interface ProfileOwner {
  customerId: string | null;
  conversationId: string;
}

export const ProfileAvatar = z.object({
  imageId: z.string(),
  /** Where the image is served, relative to the server (`/avatars/<id>`). */
  url: z.string(),
  contentType: z.string(),
  description: z.string(),
  madeBy: z.string(),
  createdAt: z.string(),
});
export type ProfileAvatar = z.infer<typeof ProfileAvatar>;

const CustomerProfile = z.object({
  avatar: ProfileAvatar.nullable().default(null),
  /** Avatar requests of one UTC day (`YYYY-MM-DD`); an older day's count is simply replaced. */
  avatarRequests: z
    .object({ day: z.string(), count: z.number().int().min(0) })
    .default({ day: '', count: 0 }),
  eTag: z.string().optional(),
});
type CustomerProfile = z.infer<typeof CustomerProfile>;

/** Optimistic writes lost to a concurrent writer are retried this often before giving up. */
const WRITE_ATTEMPTS_MAX = 4;

export type AvatarReservation = { granted: true; remaining: number } | { granted: false };

/**
 * Customers' profiles in the bot's `Storage`: the avatar they chose and how many avatars they had made today.
 * A verified customer's profile is keyed by their customer id, so it follows them into new conversations; an
 * unverified conversation has a profile of its own.
 *
 * Every change is read-modify-write with the item's eTag, retried on a conflict, and changes of one profile
 * in this process run one after another: `Storage` cannot create an item only if it is absent, so two first
 * writes would otherwise both succeed. Between processes, that first write is the one unguarded moment (at
 * worst one avatar more that day).
 */
export class CustomerProfiles {
  /** The last change queued per profile key; a key leaves the map when its queue empties. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly storage: KeyValueStorage) {}

  /** The storage key of an owner's profile. */
  static keyOf(owner: ProfileOwner): string {
    return owner.customerId === null
      ? `customer-profiles/conversation/${encodeURIComponent(owner.conversationId)}`
      : `customer-profiles/customer/${encodeURIComponent(owner.customerId)}`;
  }

  async avatarOf(owner: ProfileOwner): Promise<ProfileAvatar | null> {
    const { profile } = await this.read(CustomerProfiles.keyOf(owner));
    return profile.avatar;
  }

  /** Takes one of today's avatar requests if any is left; `remaining` counts those left after it. */
  reserveAvatarRequest(
    owner: ProfileOwner,
    request: { day: string; perDay: number },
  ): Promise<AvatarReservation> {
    return this.update<AvatarReservation>(owner, (profile) => {
      const used = profile.avatarRequests.day === request.day ? profile.avatarRequests.count : 0;
      if (used >= request.perDay) return { result: { granted: false } };
      return {
        result: { granted: true, remaining: request.perDay - used - 1 },
        next: { ...profile, avatarRequests: { day: request.day, count: used + 1 } },
      };
    });
  }

  /** Gives back a request that made nothing through no fault of the customer (the image service was down). */
  releaseAvatarRequest(owner: ProfileOwner, day: string): Promise<void> {
    return this.update(owner, (profile) =>
      profile.avatarRequests.day === day && profile.avatarRequests.count > 0
        ? {
            result: undefined,
            next: { ...profile, avatarRequests: { day, count: profile.avatarRequests.count - 1 } },
          }
        : { result: undefined },
    );
  }

  setAvatar(owner: ProfileOwner, avatar: ProfileAvatar): Promise<void> {
    return this.update(owner, (profile) => ({ result: undefined, next: { ...profile, avatar } }));
  }

  private update<T>(
    owner: ProfileOwner,
    change: (profile: CustomerProfile) => { result: T; next?: CustomerProfile },
  ): Promise<T> {
    const key = CustomerProfiles.keyOf(owner);
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.write(key, change));
    this.queues.set(key, run);
    const forget = () => {
      if (this.queues.get(key) === run) this.queues.delete(key);
    };
    void run.then(forget, forget);
    return run;
  }

  private async write<T>(
    key: string,
    change: (profile: CustomerProfile) => { result: T; next?: CustomerProfile },
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const { profile } = await this.read(key);
      const { result, next } = change(profile);
      if (next === undefined) return result;
      try {
        // The eTag read (or '*' for a new profile) makes a concurrent change fail here rather than be lost.
        await this.storage.write({ [key]: { ...next, eTag: profile.eTag ?? '*' } });
        return result;
      } catch (error) {
        if (!isETagConflict(error) || attempt >= WRITE_ATTEMPTS_MAX) throw error;
      }
    }
  }

  private async read(key: string): Promise<{ profile: CustomerProfile }> {
    const items = await this.storage.read([key]);
    const parsed = CustomerProfile.safeParse(items[key] ?? {});
    // A profile written by a future release, or damaged by hand, is started afresh rather than failing a turn.
    return { profile: parsed.success ? parsed.data : CustomerProfile.parse({}) };
  }
}

/**
 * An eTag conflict as the `Storage` implementations report it: ours as `storage_conflict`, botbuilder's
 * MemoryStorage by its message, the Azure stores as HTTP 412.
 */
function isETagConflict(error: unknown): boolean {
  if (error instanceof AppError) return error.code === 'storage_conflict';
  if (typeof error !== 'object' || error === null) return false;
  const { statusCode, message } = error as { statusCode?: unknown; message?: unknown };
  return statusCode === 412 || (typeof message === 'string' && /etag conflict/iu.test(message));
}
