/**
 * The embeddings port: texts in, vectors out. Implemented over the `openai` SDK (Azure OpenAI embeddings
 * deployments, OpenAI, compatible servers) and offline by a lexical vector. Callers compare vectors of the same
 * `modelName` only: vectors of different models live in different spaces.
 */
export interface Embeddings {
  readonly provider: 'azure' | 'openai' | 'offline';
  /**
   * Names the vector space: the deployment or model name, or the lexical scheme and its size. Stored vectors are
   * keyed by it, so changing the model recomputes them.
   */
  readonly modelName: string;
  /**
   * One vector per text, in the order given, each L2-normalised (length 1), so a dot product is the cosine.
   * Throws AppError `model_unavailable` or `model_rate_limited` (after the SDK's retries) when the service fails,
   * `model_bad_response` when its answer does not fit the request.
   */
  embed(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<number[][]>;
}

/** The vector scaled to length 1; an all-zero vector is returned as it is. */
export function normalizeVector(vector: readonly number[]): number[] {
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm === 0) return [...vector];
  const scale = 1 / Math.sqrt(norm);
  return vector.map((value) => value * scale);
}
