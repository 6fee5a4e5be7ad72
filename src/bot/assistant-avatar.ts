import { createHash } from 'node:crypto';
import type { ImageGenerator } from '../llm/image-generator';
import { describeError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { SqliteImageStore, StoredImage } from '../storage/sqlite-image-store';

/** The name the assistant's avatar has in the image store. */
export const ASSISTANT_AVATAR_NAME = 'assistant';

export interface AssistantAvatarOptions {
  /** The image model (with its offline fallback), or the offline avatar library alone. */
  generator: ImageGenerator;
  store: Pick<SqliteImageStore, 'getNamed' | 'saveNamed'>;
  /** What the avatar shows (`ASSISTANT_AVATAR_PROMPT`). */
  prompt: string;
  logger: Logger;
}

/**
 * The assistant's face: drawn once by the image model from the configured prompt, stored, and reused on every
 * later start. It is drawn again only when the prompt or the image model changes (the stored fingerprint
 * names both), or when the stored one came from the offline fallback while the model was down: the next start
 * tries the model again. Concurrent callers share one drawing.
 */
export class AssistantAvatar {
  private current: Promise<StoredImage> | null = null;

  constructor(private readonly options: AssistantAvatarOptions) {}

  /** The avatar, drawing and storing it first if needed. A failure is not kept: the next call tries again. */
  get(): Promise<StoredImage> {
    this.current ??= this.load().catch((error: unknown) => {
      this.current = null;
      throw error;
    });
    return this.current;
  }

  /** Starts {@link get} without waiting, logging a failure; for start-up, so the first visitor need not wait. */
  prepare(): void {
    this.get().catch((error: unknown) =>
      this.options.logger.warn({ error: describeError(error) }, 'assistant-avatar-failed'),
    );
  }

  private async load(): Promise<StoredImage> {
    const { generator, store, prompt, logger } = this.options;
    const wanted = fingerprint(prompt, generator.modelName);
    const stored = await store.getNamed(ASSISTANT_AVATAR_NAME);
    if (stored !== null && stored.fingerprint === wanted) return stored.image;

    const image = await generator.generate({ prompt });
    // The fingerprint names what actually drew it: a fallback's avatar does not match the model's, so the next
    // start asks the model again.
    const saved = await store.saveNamed(
      ASSISTANT_AVATAR_NAME,
      { bytes: image.bytes, contentType: image.contentType, madeBy: image.madeBy },
      fingerprint(prompt, image.madeBy),
    );
    logger.info({ madeBy: image.madeBy, bytes: image.bytes.length }, 'assistant-avatar-created');
    return saved;
  }
}

function fingerprint(prompt: string, madeBy: string): string {
  return createHash('sha256').update(`${madeBy}\n${prompt}`).digest('base64url');
}
