import { createHash } from 'node:crypto';
import type { Logger } from '../shared/logger';
import { silentLogger } from '../shared/logger';
import type { CommerceStore } from './commerce-store';
import type { ProductVectorStore, StoredProductVector } from './product-vector-store';
import type { Cents, Order, Product } from './types';

/**
 * What the recommender needs of an embeddings model: the `Embeddings` port of `llm/` has exactly this shape
 * (commerce/ does not import llm/; the composition root passes one in).
 */
export interface ProductTextEmbedder {
  /** Vectors of different models are never compared: stored vectors are kept per model name. */
  readonly modelName: string;
  /** One L2-normalised vector per text, in order. */
  embed(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<number[][]>;
}

/** A product suggested to a customer, with why. */
export interface ProductSuggestion {
  productId: string;
  /** The product type, e.g. "Bluetooth Speaker". */
  name: string;
  description: string | null;
  /** The cheapest variant that can be ordered now. */
  priceFromCents: Cents;
  /** The product the customer bought that this one is most like: the reason for the suggestion. */
  becauseOf: { productId: string; name: string };
  /** Cosine similarity to `becauseOf`, -1 to 1. */
  similarity: number;
}

/** Default `minimumSimilarity`: below it, a product is not "like" anything the customer bought. */
export const MINIMUM_SIMILARITY_DEFAULT = 0.2;
/** Suggestions at most: one message, a few cards. */
export const SUGGESTIONS_MAX = 3;

export interface ProductRecommenderOptions {
  store: CommerceStore;
  vectors: ProductVectorStore;
  embedder: ProductTextEmbedder;
  minimumSimilarity?: number;
  logger?: Logger;
}

interface CatalogueVector {
  product: Product;
  textHash: string;
  vector: number[];
}

/**
 * Suggests products like the ones a customer bought. Every product of the catalogue gets one embedding of its
 * text (name and description; option names and values when it has no description), computed once per product
 * and embeddings model and kept in the `ProductVectorStore`: later calls, other conversations and later starts
 * reuse it. Only a product that is new, or whose text changed, is embedded again, all such products in one
 * batched call. Nothing is computed before the first suggestion is asked for.
 *
 * A candidate is a product the customer never ordered, with at least one variant available; its score is its
 * best cosine to a product the customer bought and kept (cancelled orders and returned items do not count as
 * bought, but are not suggested either).
 */
export class ProductRecommender {
  private readonly minimumSimilarity: number;
  private readonly logger: Logger;
  /** Vectors of the embedder's model by product id, loaded from the store on first use. */
  private known: Map<string, StoredProductVector> | null = null;
  private refreshing: Promise<CatalogueVector[]> | null = null;

  constructor(private readonly options: ProductRecommenderOptions) {
    this.minimumSimilarity = options.minimumSimilarity ?? MINIMUM_SIMILARITY_DEFAULT;
    this.logger = (options.logger ?? silentLogger()).child({ component: 'product-recommender' });
  }

  /** Up to `limit` (at most three) products for the customer, best first; empty when nothing fits. */
  async suggest(
    customerId: string,
    options: { limit?: number; signal?: AbortSignal } = {},
  ): Promise<ProductSuggestion[]> {
    const limit = Math.max(0, Math.min(options.limit ?? SUGGESTIONS_MAX, SUGGESTIONS_MAX));
    const customer = await this.options.store.getCustomer(customerId);
    if (customer === null || limit === 0) return [];
    const orders = (
      await Promise.all(customer.orderIds.map((orderId) => this.options.store.getOrder(orderId)))
    ).filter((order): order is Order => order !== null);
    const { kept, ordered } = purchases(orders);
    if (kept.size === 0) return [];

    const catalogue = await this.catalogueVectors(options.signal);
    const seeds = catalogue.filter((entry) => kept.has(entry.product.id));
    const suggestions: ProductSuggestion[] = [];
    for (const candidate of catalogue) {
      if (ordered.has(candidate.product.id)) continue;
      const priceFromCents = cheapestAvailable(candidate.product);
      if (priceFromCents === null) continue;
      let best: { seed: CatalogueVector; similarity: number } | null = null;
      for (const seed of seeds) {
        const similarity = dot(candidate.vector, seed.vector);
        if (best === null || similarity > best.similarity) best = { seed, similarity };
      }
      if (best === null || best.similarity < this.minimumSimilarity) continue;
      suggestions.push({
        productId: candidate.product.id,
        name: candidate.product.name,
        description: candidate.product.description,
        priceFromCents,
        becauseOf: { productId: best.seed.product.id, name: best.seed.product.name },
        similarity: best.similarity,
      });
    }
    return suggestions
      .sort(
        (left, right) => right.similarity - left.similarity || (left.name < right.name ? -1 : 1),
      )
      .slice(0, limit);
  }

  /**
   * The catalogue with a vector for every product: stored vectors where the product's text is unchanged, new
   * ones (one batched call) for the rest. Concurrent callers share one refresh.
   */
  private async catalogueVectors(signal: AbortSignal | undefined): Promise<CatalogueVector[]> {
    while (this.refreshing !== null) {
      try {
        await this.refreshing;
      } catch {
        // The other caller's failure is theirs; this call tries for itself.
      }
    }
    const refresh = this.refresh(signal);
    this.refreshing = refresh;
    try {
      return await refresh;
    } finally {
      this.refreshing = null;
    }
  }

  private async refresh(signal: AbortSignal | undefined): Promise<CatalogueVector[]> {
    const { store, vectors, embedder } = this.options;
    const types = await store.listProductTypes();
    const products = (
      await Promise.all(types.map((type) => store.getProduct(type.productId)))
    ).filter((product): product is Product => product !== null);
    this.known ??= await vectors.read(embedder.modelName);
    const known = this.known;

    const texts = products.map((product) => productText(product));
    const hashes = texts.map(textHash);
    const stale = products
      .map((product, index) => ({ product, text: texts[index]!, textHash: hashes[index]! }))
      .filter(({ product, textHash: hash }) => known.get(product.id)?.textHash !== hash);
    if (stale.length > 0) {
      const startedAt = Date.now();
      const computed = await embedder.embed(
        stale.map((entry) => entry.text),
        signal === undefined ? {} : { signal },
      );
      const fresh = stale.map((entry, index) => ({
        productId: entry.product.id,
        textHash: entry.textHash,
        vector: computed[index] ?? [],
      }));
      await vectors.write(embedder.modelName, fresh);
      for (const entry of fresh) known.set(entry.productId, entry);
      this.logger.info(
        { model: embedder.modelName, products: fresh.length, durationMs: Date.now() - startedAt },
        'product-vectors-computed',
      );
    }
    return products.map((product, index) => ({
      product,
      textHash: hashes[index]!,
      vector: known.get(product.id)?.vector ?? [],
    }));
  }
}

/**
 * The text a product's embedding is computed from: its name and description. A product without a description
 * (τ-bench data) is described by its option names and values instead; colours are left out, since every kind of
 * product comes in colours and they would make unrelated products look alike.
 */
export function productText(product: Product): string {
  if (product.description !== null && product.description.trim() !== '') {
    return `${product.name}. ${product.description.trim()}`;
  }
  const options = new Map<string, Set<string>>();
  for (const variant of product.variants) {
    for (const [name, value] of Object.entries(variant.options)) {
      if (/colou?r/iu.test(name)) continue;
      options.set(name, (options.get(name) ?? new Set()).add(value));
    }
  }
  const described = [...options].map(([name, values]) => `${name}: ${[...values].join(', ')}`);
  return described.length === 0 ? product.name : `${product.name}. ${described.join('; ')}`;
}

function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** Products the customer bought and kept (seeds), and every product they ever ordered (never suggested). */
function purchases(orders: readonly Order[]): { kept: Set<string>; ordered: Set<string> } {
  const kept = new Set<string>();
  const ordered = new Set<string>();
  for (const order of orders) {
    const returned = new Set(order.return?.itemIds ?? []);
    for (const item of order.items) {
      ordered.add(item.productId);
      if (order.status !== 'cancelled' && !returned.has(item.itemId)) kept.add(item.productId);
    }
  }
  return { kept, ordered };
}

function cheapestAvailable(product: Product): Cents | null {
  let cheapest: Cents | null = null;
  for (const variant of product.variants) {
    if (variant.available && (cheapest === null || variant.priceCents < cheapest)) {
      cheapest = variant.priceCents;
    }
  }
  return cheapest;
}

/** The cosine of two L2-normalised vectors; vectors of different lengths (a changed model) score 0. */
function dot(left: readonly number[], right: readonly number[]): number {
  if (left.length !== right.length) return 0;
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) sum += left[index]! * right[index]!;
  return sum;
}
