import { MemoryStorage } from 'botbuilder';
import type {
  GeneratedImage,
  ImageGenerator,
  ImageRequest,
} from '../../../../src/llm/image-generator';
import { AppError } from '../../../../src/shared/errors';
import { SqliteImageStore } from '../../../../src/storage/sqlite-image-store';
import type { ToolContext } from '../../../../src/tools/define-tool';
import {
  avatarPrompt,
  createProfileAvatarTool,
} from '../../../../src/tools/profile/create-profile-avatar';
import { CustomerProfiles } from '../../../../src/tools/profile/customer-profiles';
import { ToolRegistry } from '../../../../src/tools/registry';
import { createToolContext } from '../../../helpers/commerce-fixtures';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

/** An image model that draws a PNG, or fails as told; it records the prompts it was given. */
class ScriptedImageGenerator implements ImageGenerator {
  readonly provider = 'azure' as const;
  readonly modelName = 'test-image-model';
  readonly prompts: string[] = [];
  private failures: AppError[] = [];

  failNext(error: AppError): void {
    this.failures.push(error);
  }

  async generate(request: ImageRequest): Promise<GeneratedImage> {
    this.prompts.push(request.prompt);
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    return { bytes: PNG, contentType: 'image/png', madeBy: this.modelName, depictsPrompt: true };
  }
}

function setUp(options: { perDay?: number; library?: boolean } = {}) {
  const images = new ScriptedImageGenerator();
  const store = new SqliteImageStore({ path: ':memory:' });
  const storage = new MemoryStorage();
  const profiles = new CustomerProfiles(storage);
  const generator: ImageGenerator = options.library
    ? {
        provider: 'offline',
        modelName: 'dicebear/thumbs',
        generate: async () => ({
          bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
          contentType: 'image/svg+xml',
          madeBy: 'dicebear/thumbs',
          depictsPrompt: false,
        }),
      }
    : images;
  const registry = new ToolRegistry([
    createProfileAvatarTool({
      images: generator,
      store,
      profiles,
      perDay: options.perDay ?? 3,
      imageUrl: (id) => `/avatars/${id}`,
    }),
  ]);
  const ask = (description: string, context: ToolContext) =>
    registry.run(
      { name: 'create_profile_avatar', arguments: JSON.stringify({ description }) },
      context,
    );
  return { images, store, profiles, ask };
}

function verified(now?: Date) {
  return createToolContext({ customerId: 'customer_olivia', ...(now ? { now } : {}) }).context;
}

describe('create_profile_avatar', () => {
  it('draws the description as an avatar, stores it and saves it to the verified customer', async () => {
    const { images, store, profiles, ask } = setUp();

    const result = await ask('a fox astronaut', verified());

    expect(result.ok).toBe(true);
    const output = JSON.parse(result.output) as Record<string, unknown>;
    expect(output).toMatchObject({
      status: 'created',
      description: 'a fox astronaut',
      image_type: 'image/png',
      saved_to: 'customer_profile',
      avatars_left_today: 2,
    });
    expect(images.prompts).toEqual([avatarPrompt('a fox astronaut')]);
    const imageId = String(output.image_url).replace('/avatars/', '');
    expect((await store.get(imageId))?.bytes.equals(PNG)).toBe(true);
    const avatar = await profiles.avatarOf({ customerId: 'customer_olivia', conversationId: 'x' });
    expect(avatar?.url).toBe(output.image_url);
  });

  it('keeps an unverified customer’s avatar with their conversation only', async () => {
    const { profiles, ask } = setUp();
    const { context } = createToolContext();

    const result = await ask('a cat reading a book', context);

    expect(JSON.parse(result.output)).toMatchObject({ saved_to: 'this_conversation' });
    expect(
      await profiles.avatarOf({ customerId: null, conversationId: context.conversationId }),
    ).not.toBeNull();
    expect(
      await profiles.avatarOf({ customerId: 'customer_olivia', conversationId: 'other' }),
    ).toBeNull();
  });

  it('refuses once the daily limit is reached, without calling the image model', async () => {
    const { images, ask } = setUp({ perDay: 2 });

    await ask('a fox', verified());
    await ask('a wolf', verified());
    const third = await ask('a bear', verified());

    expect(third.ok).toBe(false);
    expect(third.output).toMatch(/^Error: the daily limit of 2 avatars is reached/u);
    expect(images.prompts).toHaveLength(2);
  });

  it('counts the limit per customer, not across customers', async () => {
    const { ask } = setUp({ perDay: 1 });

    await ask('a fox', verified());
    const other = await ask('a fox', createToolContext({ customerId: 'customer_marcus' }).context);

    expect(other.ok).toBe(true);
  });

  it('grants new avatars on the next UTC day', async () => {
    const { ask } = setUp({ perDay: 1 });

    await ask('a fox', verified(new Date('2026-03-10T23:59:00Z')));
    const nextDay = await ask('a wolf', verified(new Date('2026-03-11T00:01:00Z')));

    expect(nextDay.ok).toBe(true);
  });

  it('answers a filtered description with a calm error that still counts toward the limit', async () => {
    const { images, ask } = setUp({ perDay: 1 });
    images.failNext(
      new AppError('model_content_filtered', 'refused', { expected: true, details: {} }),
    );

    const refused = await ask('something the filter refuses', verified());
    const after = await ask('a fox', verified());

    expect(refused.ok).toBe(false);
    expect(refused.output).toMatch(/safety filter declined this description/u);
    expect(refused.output).not.toContain('something the filter refuses');
    expect(after.output).toMatch(/daily limit/u);
  });

  it('gives the request back when the image model is unavailable', async () => {
    const { images, ask } = setUp({ perDay: 1 });
    images.failNext(new AppError('model_unavailable', 'down'));

    const failed = await ask('a fox', verified());
    const retried = await ask('a fox', verified());

    expect(failed.output).toMatch(/could not be made right now/u);
    expect(retried.ok).toBe(true);
  });

  it('tells the model when the avatar comes from the library and does not show the description', async () => {
    const { ask } = setUp({ library: true });

    const result = await ask('a fox astronaut', verified());

    expect(JSON.parse(result.output)).toMatchObject({
      image_type: 'image/svg+xml',
      note: expect.stringContaining('avatar library') as unknown,
    });
  });

  it('grants the last avatar of the day to only one of two simultaneous requests', async () => {
    const { ask } = setUp({ perDay: 1 });

    const results = await Promise.all([ask('a fox', verified()), ask('a wolf', verified())]);

    expect(results.filter((result) => result.ok)).toHaveLength(1);
  });
});
