import { AppError, describeError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { silentLogger } from '../shared/logger';
import type {
  GeneratedImage,
  ImageGenerator,
  ImageGeneratorProvider,
  ImageRequest,
} from './image-generator';

export interface FallbackImageGeneratorOptions {
  primary: ImageGenerator;
  /** The generator used when the primary cannot draw; in this product, the offline avatar library. */
  fallback: ImageGenerator;
  logger?: Logger;
}

/**
 * The failures the fallback can help with. A safety refusal and a cancellation are rethrown: the library would
 * happily draw an avatar for a prompt the filter refused, which would make the filter pointless.
 */
const FALLBACK_CODES = new Set(['model_unavailable', 'model_rate_limited', 'model_bad_response']);

/**
 * An `ImageGenerator` that asks the primary (an image model) and, when it is down, rate limited or answers
 * without a usable image, draws with the fallback instead, logging `image-fallback`. The result says which drew
 * it (`madeBy`, `depictsPrompt`). `provider` and `modelName` report the primary.
 */
export class FallbackImageGenerator implements ImageGenerator {
  readonly provider: ImageGeneratorProvider;
  readonly modelName: string;
  private readonly primary: ImageGenerator;
  private readonly fallback: ImageGenerator;
  private readonly logger: Logger;

  constructor(options: FallbackImageGeneratorOptions) {
    this.primary = options.primary;
    this.fallback = options.fallback;
    this.provider = options.primary.provider;
    this.modelName = options.primary.modelName;
    this.logger = (options.logger ?? silentLogger()).child({
      component: 'fallback-image-generator',
    });
  }

  async generate(request: ImageRequest): Promise<GeneratedImage> {
    try {
      return await this.primary.generate(request);
    } catch (error) {
      if (!(error instanceof AppError) || !FALLBACK_CODES.has(error.code)) throw error;
      this.logger.warn(
        { error: describeError(error), primary: this.primary.modelName },
        'image-fallback',
      );
      return this.fallback.generate(request);
    }
  }
}
