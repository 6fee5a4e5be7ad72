import { z } from 'zod';
import type { ImageGenerator } from '../../llm/image-generator';
import { AppError, ToolError } from '../../shared/errors';
import { defineTool, type AnyToolDefinition, type ToolContext } from '../define-tool';
import { CustomerProfiles, type ProfileOwner } from './customer-profiles';

export const CREATE_PROFILE_AVATAR = 'create_profile_avatar';

export const CreateProfileAvatarInput = z.object({
  description: z
    .string()
    .trim()
    .min(2)
    .max(300)
    .describe(
      'What the avatar should show, in the customer\'s own words, e.g. "a fox astronaut" or "a cat reading a book".',
    ),
});
export type CreateProfileAvatarInput = z.infer<typeof CreateProfileAvatarInput>;

/** What the model reads after an avatar was made; `image_url` is also what the chat shows. */
export interface CreateProfileAvatarOutput {
  status: 'created';
  description: string;
  image_url: string;
  image_type: string;
  /** Where it was saved: the verified customer's profile, or only this conversation. */
  saved_to: 'customer_profile' | 'this_conversation';
  avatars_left_today: number;
  /** Present when the avatar comes from the offline library: it does not show what was described. */
  note?: string;
}

/** Where an image made here is stored; the image store fits as it is. */
export interface AvatarImageStore {
  save(image: {
    owner: string;
    bytes: Uint8Array;
    contentType: string;
    madeBy: string;
  }): Promise<{ id: string; contentType: string }>;
}

export interface CreateProfileAvatarDependencies {
  images: ImageGenerator;
  store: AvatarImageStore;
  profiles: CustomerProfiles;
  /** Avatars one owner may have made per UTC day (filtered prompts count too). */
  perDay: number;
  /** Where a stored image is served, e.g. `/avatars/<id>`. */
  imageUrl: (imageId: string) => string;
}

const LIBRARY_NOTE =
  'The image model is not available, so this avatar comes from our avatar library: a friendly picture chosen for the description, not a drawing of it. Say so plainly.';

/**
 * `create_profile_avatar`: draws an avatar from the customer's description, saves it to their profile and
 * shows it in the chat (the turn emits an `image` reply part for it). A `profile` tool: it needs no
 * confirmation, but code limits it to `perDay` avatars per customer per UTC day. The image model's safety
 * filter reads the description; a refusal comes back as a calm `Error:` the model words for the customer.
 */
export function createProfileAvatarTool(
  dependencies: CreateProfileAvatarDependencies,
): AnyToolDefinition {
  const { images, store, profiles, perDay, imageUrl } = dependencies;
  return defineTool({
    name: CREATE_PROFILE_AVATAR,
    description: `Make a new profile picture (avatar) for the customer from their description and show it in the chat; it replaces their previous one. Only when the customer asks for an avatar or profile picture. No verification needed. At most ${perDay} per customer per day.`,
    kind: 'profile',
    input: CreateProfileAvatarInput,
    execute: async ({ description }, context): Promise<CreateProfileAvatarOutput> => {
      const owner: ProfileOwner = {
        customerId: context.customerId,
        conversationId: context.conversationId,
      };
      const day = context.now().toISOString().slice(0, 10);
      const reservation = await profiles.reserveAvatarRequest(owner, { day, perDay });
      if (!reservation.granted) {
        throw new ToolError(
          `the daily limit of ${perDay} avatars is reached; nothing was made. The customer can ask again tomorrow (UTC) and keeps their current avatar.`,
        );
      }
      const image = await generate({ images, description, context, owner, profiles, day });
      const stored = await store.save({
        owner: CustomerProfiles.keyOf(owner),
        bytes: image.bytes,
        contentType: image.contentType,
        madeBy: image.madeBy,
      });
      const url = imageUrl(stored.id);
      await profiles.setAvatar(owner, {
        imageId: stored.id,
        url,
        contentType: stored.contentType,
        description,
        madeBy: image.madeBy,
        createdAt: context.now().toISOString(),
      });
      return {
        status: 'created',
        description,
        image_url: url,
        image_type: stored.contentType,
        saved_to: owner.customerId === null ? 'this_conversation' : 'customer_profile',
        avatars_left_today: reservation.remaining,
        ...(image.depictsPrompt ? {} : { note: LIBRARY_NOTE }),
      };
    },
  });
}

async function generate(options: {
  images: ImageGenerator;
  description: string;
  context: ToolContext;
  owner: ProfileOwner;
  profiles: CustomerProfiles;
  day: string;
}) {
  const { images, description, context, owner, profiles, day } = options;
  try {
    return await images.generate({
      prompt: avatarPrompt(description),
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'model_content_filtered') {
      // The request counts: a refused prompt costs the same, and the limit also bounds probing the filter.
      throw new ToolError(
        "the image service's safety filter declined this description, so no avatar was made. Kindly suggest a different description, without repeating or judging this one.",
        { cause: error },
      );
    }
    await profiles.releaseAvatarRequest(owner, day).catch(() => undefined);
    if (error instanceof AppError && error.code === 'turn_cancelled') throw error;
    throw new ToolError(
      'the avatar could not be made right now; nothing changed and it did not count. Suggest trying again in a little while.',
      { cause: error },
    );
  }
}

/** The customer's words framed as an avatar, so any model draws something that works at 40 pixels. */
export function avatarPrompt(description: string): string {
  return `A profile avatar for a chat app showing ${description}. Friendly illustration, one centred subject, simple plain background, no text or letters.`;
}
