import type { OpenAI } from 'openai';
import { AppError } from '../shared/errors';
import type { Embeddings } from './embeddings';
import { normalizeVector } from './embeddings';
import { toOpenAiCallError } from './openai-call-error';

/**
 * Default `batchSize`: inputs per request. The API takes up to 2048 inputs (and 300 000 tokens) per request; a
 * catalogue's product texts are short, so a few hundred per request keeps each request small and quick to retry.
 */
export const EMBEDDING_BATCH_SIZE_DEFAULT = 256;

export interface OpenAiEmbeddingsOptions {
  /**
   * A client from `createOpenAiClient`. For Azure's dated API it must be built for the embeddings deployment:
   * the deployment in the client decides the request path, whatever the body says.
   */
  client: OpenAI;
  provider: 'azure' | 'openai';
  /** The embeddings model, or the Azure embeddings deployment name. */
  model: string;
  batchSize?: number;
}

/**
 * `Embeddings` over the SDK's `embeddings.create`: texts go in batches of `batchSize`, vectors come back in input
 * order (the response's `index` says which is which) and are L2-normalised (OpenAI's already are; compatible
 * servers' may not be). Retries are the client's (`maxRetries`).
 */
export class OpenAiEmbeddings implements Embeddings {
  readonly provider: 'azure' | 'openai';
  readonly modelName: string;
  private readonly client: OpenAI;
  private readonly batchSize: number;

  constructor(options: OpenAiEmbeddingsOptions) {
    this.client = options.client;
    this.provider = options.provider;
    this.modelName = options.model;
    this.batchSize = options.batchSize ?? EMBEDDING_BATCH_SIZE_DEFAULT;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > 2048) {
      throw new AppError('config_invalid', 'batchSize must be a whole number from 1 to 2048', {
        details: { batchSize: this.batchSize },
      });
    }
  }

  async embed(
    texts: readonly string[],
    options: { signal?: AbortSignal } = {},
  ): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      vectors.push(
        ...(await this.embedBatch(texts.slice(start, start + this.batchSize), options.signal)),
      );
    }
    return vectors;
  }

  private async embedBatch(
    texts: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<number[][]> {
    // The API refuses empty strings; a text with nothing in it gets a vector of a single space instead.
    const input = texts.map((text) => (text.trim() === '' ? ' ' : text));
    let response: Awaited<ReturnType<OpenAI['embeddings']['create']>>;
    try {
      response = await this.client.embeddings.create(
        { model: this.modelName, input },
        signal === undefined ? undefined : { signal },
      );
    } catch (error) {
      throw toOpenAiCallError(error, 'embeddings');
    }
    const vectors = new Array<number[] | undefined>(input.length);
    for (const item of response.data) {
      if (Number.isInteger(item.index) && item.index >= 0 && item.index < input.length) {
        vectors[item.index] = normalizeVector(Array.from(item.embedding));
      }
    }
    const missing = vectors.findIndex((vector) => vector === undefined || vector.length === 0);
    if (missing !== -1) {
      throw new AppError('model_bad_response', 'The embeddings response left out an input', {
        details: { inputs: input.length, returned: response.data.length, missing },
      });
    }
    return vectors as number[][];
  }
}
