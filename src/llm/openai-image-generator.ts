import { APIError } from 'openai';
import type { OpenAI } from 'openai';
import type { ImageGenerateParamsNonStreaming } from 'openai/resources/images';
import { AppError } from '../shared/errors';
import { isRecord } from '../shared/is-record';
import type { Logger } from '../shared/logger';
import { silentLogger } from '../shared/logger';
import { readContentFilterError } from './content-filter';
import type { GeneratedImage, ImageGenerator, ImageRequest } from './image-generator';
import { sniffImageType } from './image-generator';
import { toOpenAiCallError } from './openai-call-error';

/** The largest image accepted from a model: a 1024×1024 PNG is 1–3 MB. */
export const IMAGE_BYTES_MAX = 8 * 1024 * 1024;

/**
 * Image quality. An avatar is shown at 30 to 100 pixels, so `low` (the cheapest and quickest, a few seconds on
 * gpt-image-1-mini) loses nothing a customer would see.
 */
export type ImageQuality = 'low' | 'medium' | 'high';

export interface OpenAiImageGeneratorOptions {
  /**
   * A client from `createOpenAiClient`. For Azure's dated API it must be built for the image deployment and an
   * api-version that has gpt-image models (`2025-04-01-preview`): the deployment is part of its base URL.
   */
  client: OpenAI;
  provider: 'azure' | 'openai';
  /** The model name, or the Azure deployment name (sent as `model`; Azure's dated API ignores it). */
  model: string;
  /** Default `low`. */
  quality?: ImageQuality;
  logger?: Logger;
}

/**
 * `ImageGenerator` over the `openai` SDK's `images.generate`, for the gpt-image family on Azure OpenAI
 * (`POST /openai/deployments/{deployment}/images/generations?api-version=…`) and OpenAI
 * (`POST /v1/images/generations`). One square image per call; gpt-image models answer with `b64_json` only
 * (they refuse `response_format`, so none is sent), PNG unless asked otherwise. The bytes are checked to be a
 * PNG, JPEG or WebP before anyone sees them.
 *
 * Failures become `AppError`s (`toOpenAiCallError`, plus the image API's own filter answers):
 * - the safety system refusing the prompt or the drawn image → `model_content_filtered`, expected. Azure says
 *   so as `code: 'contentFilter'` (its image form, "Your task failed as a result of our safety system" or
 *   "Generated image was filtered …") or `code: 'content_filter'` with `innererror` (its chat form); OpenAI as
 *   `code: 'moderation_blocked'` or `'content_policy_violation'`;
 * - 429 after the SDK's retries → `model_rate_limited`;
 * - connection errors, timeouts, 5xx, 408/409, 401/403/404 → `model_unavailable`;
 * - the signal aborting → `turn_cancelled`; any other 4xx, or an answer without image data → `model_bad_response`.
 * Prompts are never logged.
 */
export class OpenAiImageGenerator implements ImageGenerator {
  readonly provider: 'azure' | 'openai';
  readonly modelName: string;
  private readonly client: OpenAI;
  private readonly quality: ImageQuality;
  private readonly logger: Logger;

  constructor(options: OpenAiImageGeneratorOptions) {
    this.client = options.client;
    this.provider = options.provider;
    this.modelName = options.model;
    this.quality = options.quality ?? 'low';
    this.logger = (options.logger ?? silentLogger()).child({
      component: 'image-generator',
      provider: options.provider,
      model: options.model,
    });
  }

  async generate(request: ImageRequest): Promise<GeneratedImage> {
    const { signal } = request;
    if (signal?.aborted === true) throw cancelled(signal.reason);
    const body: ImageGenerateParamsNonStreaming = {
      model: this.modelName,
      prompt: request.prompt,
      n: 1,
      size: '1024x1024',
      quality: this.quality,
    };
    const startedAt = performance.now();
    let encoded: string | undefined;
    try {
      const response = await this.client.images.generate(body, signal ? { signal } : {});
      encoded = response.data?.[0]?.b64_json;
    } catch (error) {
      const appError = toAppError(error, signal);
      this.logger.info(
        { code: appError.code, details: appError.details, durationMs: elapsed(startedAt) },
        'image-generation-failed',
      );
      throw appError;
    }
    const image = decode(encoded, this.modelName);
    this.logger.info(
      { bytes: image.bytes.length, contentType: image.contentType, durationMs: elapsed(startedAt) },
      'image-generated',
    );
    return image;
  }
}

function decode(encoded: string | undefined, madeBy: string): GeneratedImage {
  if (typeof encoded !== 'string' || encoded === '') {
    throw new AppError(
      'model_bad_response',
      'The image model answered without image data (gpt-image models answer with b64_json)',
      { details: { reason: 'no_image_data' } },
    );
  }
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length > IMAGE_BYTES_MAX) {
    throw new AppError('model_bad_response', 'The image model answered with an oversized image', {
      details: { reason: 'too_large', bytes: bytes.length },
    });
  }
  const contentType = sniffImageType(bytes);
  if (contentType === null) {
    throw new AppError(
      'model_bad_response',
      'The image model answered with data that is no image',
      {
        details: { reason: 'not_an_image' },
      },
    );
  }
  return { bytes, contentType, madeBy, depictsPrompt: true };
}

/** The error codes with which Azure and OpenAI say their safety system refused an image request. */
const IMAGE_FILTER_CODES = new Set([
  'contentFilter',
  'content_filter',
  'content_policy_violation',
  'moderation_blocked',
]);

function toAppError(error: unknown, signal: AbortSignal | undefined): AppError {
  if (signal?.aborted === true) return cancelled(signal.reason);
  if (error instanceof APIError) {
    const apiError = error as APIError;
    const filtered = readImageFilterRefusal(apiError.error);
    if (filtered !== null) {
      return new AppError(
        'model_content_filtered',
        'The image content filter refused the request',
        {
          cause: error,
          expected: true,
          details: { status: apiError.status ?? null, code: apiError.code ?? null, ...filtered },
        },
      );
    }
  }
  return toOpenAiCallError(error, 'image');
}

/**
 * What the safety system objected to, or null when the error is no content-filter refusal. `stage` says
 * whether the prompt or the drawn image was refused, as far as the provider tells.
 */
function readImageFilterRefusal(
  errorBody: unknown,
): { stage: 'prompt' | 'image'; categories: string[] } | null {
  const verdict = readContentFilterError(errorBody);
  if (verdict !== null) return { stage: 'prompt', categories: verdict.categories };
  if (!isRecord(errorBody) || typeof errorBody['code'] !== 'string') return null;
  if (!IMAGE_FILTER_CODES.has(errorBody['code'])) return null;
  const message = typeof errorBody['message'] === 'string' ? errorBody['message'] : '';
  return { stage: /generated image/iu.test(message) ? 'image' : 'prompt', categories: [] };
}

function cancelled(cause: unknown): AppError {
  return new AppError('turn_cancelled', 'The image request was cancelled', {
    expected: true,
    cause,
  });
}

function elapsed(startedAt: number): number {
  return Math.round(performance.now() - startedAt);
}
