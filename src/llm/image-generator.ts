/**
 * The port every image model implements: Azure OpenAI and OpenAI image models (gpt-image family) through the
 * `openai` SDK, and the offline avatar library. Callers depend on this file only, never on an SDK.
 */

export interface ImageRequest {
  /** What to draw, in plain words. The image model's content filter reads it; it is never logged. */
  prompt: string;
  signal?: AbortSignal;
}

/** The media types an image may have; anything else is refused as a bad response. */
export type ImageContentType = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/svg+xml';

export interface GeneratedImage {
  bytes: Uint8Array;
  contentType: ImageContentType;
  /** What made it: a model or deployment name, or the avatar library and its style (`dicebear/lorelei`). */
  madeBy: string;
  /**
   * True when a model drew what the prompt describes; false for a library avatar that only takes the prompt as
   * its seed, so nobody promises the customer a fox astronaut that is not there.
   */
  depictsPrompt: boolean;
}

export type ImageGeneratorProvider = 'azure' | 'openai' | 'offline';

export interface ImageGenerator {
  readonly provider: ImageGeneratorProvider;
  /** Deployment, model or library name, for logs. */
  readonly modelName: string;
  /**
   * One image. Throws AppError with code `model_content_filtered` (expected) when the provider's safety system
   * refuses the prompt or the image it drew, `model_rate_limited` after the SDK's retries, `model_unavailable`
   * for network and server failures, `model_bad_response` when the answer holds no usable image, and
   * `turn_cancelled` when `signal` aborts.
   */
  generate(request: ImageRequest): Promise<GeneratedImage>;
}

/** The first bytes of each raster format we accept. */
const SIGNATURES: readonly { contentType: ImageContentType; bytes: readonly (number | null)[] }[] =
  [
    { contentType: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
    { contentType: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
    // RIFF????WEBP
    {
      contentType: 'image/webp',
      bytes: [0x52, 0x49, 0x46, 0x46, null, null, null, null, 0x57, 0x45, 0x42, 0x50],
    },
  ];

/**
 * The media type of raster image bytes, read from their signature, or null when they are no PNG, JPEG or
 * WebP. A model's answer is trusted for nothing it can be checked on: the bytes we store and serve are images.
 */
export function sniffImageType(bytes: Uint8Array): ImageContentType | null {
  for (const signature of SIGNATURES) {
    if (bytes.length < signature.bytes.length) continue;
    if (
      signature.bytes.every((expected, index) => expected === null || bytes[index] === expected)
    ) {
      return signature.contentType;
    }
  }
  return null;
}
