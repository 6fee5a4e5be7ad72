import type { Style } from '@dicebear/core';
import { AppError } from '../shared/errors';
import type { GeneratedImage, ImageGenerator, ImageRequest } from './image-generator';

/**
 * The DiceBear styles we draw with: all CC0 1.0 (public domain), so the avatars need no attribution. `lorelei`
 * and `notionists` are people, `thumbs` a friendly abstract figure.
 */
export type DiceBearStyleName = 'lorelei' | 'notionists' | 'thumbs';

export interface DiceBearImageGeneratorOptions {
  /** Default `thumbs`. */
  style?: DiceBearStyleName;
  /** Side of the square SVG in pixels. Default 256. */
  size?: number;
  /** Background colours (hex without `#`) the seed picks from. Default: soft blues and violets. */
  backgroundColors?: readonly string[];
}

const DEFAULT_BACKGROUND_COLORS = ['b6e3f4', 'c0aede', 'd1d4f9', 'ffd5dc', 'ffdfbf'];

type DiceBearModules = [typeof import('@dicebear/core'), typeof import('@dicebear/collection')];

/** Loaded on first use: the collection takes about a quarter of a second to load, and most starts need none. */
let loading: Promise<DiceBearModules> | null = null;

function loadDiceBear(): Promise<DiceBearModules> {
  loading ??= Promise.all([import('@dicebear/core'), import('@dicebear/collection')]).catch(
    (error: unknown) => {
      loading = null;
      throw new AppError('model_unavailable', 'The avatar library could not be loaded', {
        cause: error,
      });
    },
  );
  return loading;
}

/**
 * The offline `ImageGenerator`: an SVG avatar from DiceBear, a maintained open-source avatar library, with
 * the prompt as its seed. No network, no filter, no cost, and deterministic: the same prompt (ignoring case and
 * spacing) always gives the same bytes, so an offline assistant keeps its face across restarts and machines.
 * It cannot draw what the prompt says; it draws a pleasant avatar that belongs to that prompt.
 */
export class DiceBearImageGenerator implements ImageGenerator {
  readonly provider = 'offline' as const;
  readonly modelName: string;
  private readonly style: DiceBearStyleName;
  private readonly size: number;
  private readonly backgroundColors: string[];

  constructor(options: DiceBearImageGeneratorOptions = {}) {
    this.style = options.style ?? 'thumbs';
    this.size = options.size ?? 256;
    if (!Number.isInteger(this.size) || this.size < 16 || this.size > 2048) {
      throw new AppError('config_invalid', 'size must be a whole number from 16 to 2048', {
        details: { size: this.size },
      });
    }
    this.backgroundColors = [...(options.backgroundColors ?? DEFAULT_BACKGROUND_COLORS)];
    this.modelName = `dicebear/${this.style}`;
  }

  /** Loads the library now, so the first avatar is not slowed by it. */
  async warmUp(): Promise<void> {
    await loadDiceBear();
  }

  async generate(request: ImageRequest): Promise<GeneratedImage> {
    if (request.signal?.aborted === true) {
      throw new AppError('turn_cancelled', 'The image request was cancelled', {
        expected: true,
        cause: request.signal.reason,
      });
    }
    const [core, collection] = await loadDiceBear();
    // Each style has its own options type; only the options all styles share are set here.
    const style: Style<object> = collection[this.style];
    const svg = core
      .createAvatar(style, {
        seed: seedOf(request.prompt),
        size: this.size,
        radius: 50,
        backgroundColor: this.backgroundColors,
      })
      .toString();
    return {
      bytes: Buffer.from(svg, 'utf8'),
      contentType: 'image/svg+xml',
      madeBy: this.modelName,
      depictsPrompt: false,
    };
  }
}

/** "A Fox  Astronaut " and "a fox astronaut" are the same request, and get the same avatar. */
function seedOf(prompt: string): string {
  return prompt.trim().toLowerCase().replace(/\s+/gu, ' ');
}
