import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ProductRecommender,
  productText,
  type ProductTextEmbedder,
} from '../../../src/commerce/product-recommender';
import { SqliteProductVectorStore } from '../../../src/commerce/product-vector-store';
import { generateSampleData } from '../../../src/commerce/sample-data';
import {
  openSqliteCommerceStore,
  type SqliteCommerceStore,
} from '../../../src/commerce/sqlite-commerce-store';
import type { CommerceDataset, Customer, Order, Product } from '../../../src/commerce/types';
import { LexicalEmbeddings } from '../../../src/llm/lexical-embeddings';
import { TEST_NOW } from '../../helpers/commerce-fixtures';

const CATALOGUE = generateSampleData({ now: TEST_NOW, customers: 6 }).products;

function product(name: string): Product {
  const found = CATALOGUE.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no ${name} in the sample catalogue`);
  return found;
}

/** A shop with the sample catalogue and one customer who bought `bought` (one delivered order per product). */
function shopWith(options: {
  bought: string[];
  cancelled?: string[];
  products?: Product[];
}): CommerceDataset {
  const orders: Order[] = [];
  const addOrder = (name: string, status: Order['status']) => {
    const variant = product(name).variants[0]!;
    orders.push({
      id: `#W${String(9_000_000 + orders.length)}`,
      customerId: 'ada_lovelace_1815',
      address: ADDRESS,
      items: [
        {
          productId: product(name).id,
          itemId: variant.itemId,
          name,
          priceCents: variant.priceCents,
          options: variant.options,
        },
      ],
      fulfillments: [],
      status,
      paymentHistory: [
        { type: 'payment', amountCents: variant.priceCents, paymentMethodId: 'paypal_1815' },
      ],
      placedAt: TEST_NOW.toISOString(),
      cancelReason: status === 'cancelled' ? 'no longer needed' : null,
      exchange: null,
      return: null,
    });
  };
  for (const name of options.bought) addOrder(name, 'delivered');
  for (const name of options.cancelled ?? []) addOrder(name, 'cancelled');
  const customer: Customer = {
    id: 'ada_lovelace_1815',
    name: { firstName: 'Ada', lastName: 'Lovelace' },
    address: ADDRESS,
    email: 'ada@example.com',
    paymentMethods: [{ kind: 'paypal', id: 'paypal_1815' }],
    orderIds: orders.map((order) => order.id),
  };
  return { customers: [customer], orders, products: options.products ?? CATALOGUE, shipments: [] };
}

const ADDRESS = {
  address1: '12 St James Square',
  address2: '',
  city: 'London',
  state: 'NY',
  country: 'USA',
  zip: '10001',
};

/** The lexical embeddings, counting what they are asked to embed. */
class CountingEmbedder implements ProductTextEmbedder {
  readonly calls: string[][] = [];
  private readonly inner: LexicalEmbeddings;
  readonly modelName: string;

  constructor(options: { dimensions?: number } = {}) {
    this.inner = new LexicalEmbeddings(options);
    this.modelName = this.inner.modelName;
  }

  embed(texts: readonly string[]): Promise<number[][]> {
    this.calls.push([...texts]);
    return this.inner.embed(texts);
  }
}

describe('ProductRecommender', () => {
  let directory: string;
  let store: SqliteCommerceStore;
  let vectors: SqliteProductVectorStore;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'product-vectors-'));
  });

  afterEach(async () => {
    await vectors?.close();
    await store?.close();
    await rm(directory, { recursive: true, force: true });
  });

  async function open(dataset: CommerceDataset): Promise<void> {
    store = openSqliteCommerceStore({ path: ':memory:' });
    await store.importDataset(dataset);
    vectors = SqliteProductVectorStore.open({ path: path.join(directory, 'vectors.sqlite') });
  }

  it('suggests related audio products to a customer who bought headphones, not what they own', async () => {
    await open(shopWith({ bought: ['Headphones'] }));
    const recommender = new ProductRecommender({
      store,
      vectors,
      embedder: new LexicalEmbeddings(),
    });

    const suggestions = await recommender.suggest('ada_lovelace_1815');

    const names = suggestions.map((suggestion) => suggestion.name);
    expect(names).toHaveLength(3);
    expect(names.slice(0, 2).sort()).toEqual(['Bluetooth Speaker', 'Wireless Earbuds']);
    expect(names).not.toContain('Headphones');
    expect(suggestions.every((suggestion) => suggestion.becauseOf.name === 'Headphones')).toBe(
      true,
    );
    expect(suggestions[0]!.similarity).toBeGreaterThanOrEqual(suggestions[1]!.similarity);
  });

  it('leaves out products with no available variant, and prices from the cheapest available one', async () => {
    const earbuds = product('Wireless Earbuds');
    const speaker = product('Bluetooth Speaker');
    const cheapest = speaker.variants.reduce((low, variant) =>
      variant.priceCents < low.priceCents ? variant : low,
    );
    const products = CATALOGUE.map((entry) => {
      if (entry.id === earbuds.id) {
        return {
          ...entry,
          variants: entry.variants.map((variant) => ({ ...variant, available: false })),
        };
      }
      if (entry.id === speaker.id) {
        return {
          ...entry,
          variants: entry.variants.map((variant) => ({
            ...variant,
            available: variant.itemId !== cheapest.itemId,
          })),
        };
      }
      return entry;
    });
    await open(shopWith({ bought: ['Headphones'], products }));
    const recommender = new ProductRecommender({
      store,
      vectors,
      embedder: new LexicalEmbeddings(),
    });

    const suggestions = await recommender.suggest('ada_lovelace_1815');

    expect(suggestions.map((suggestion) => suggestion.name)).not.toContain('Wireless Earbuds');
    const suggestedSpeaker = suggestions.find(
      (suggestion) => suggestion.name === 'Bluetooth Speaker',
    );
    const available = speaker.variants.filter((variant) => variant.itemId !== cheapest.itemId);
    expect(suggestedSpeaker?.priceFromCents).toBe(
      Math.min(...available.map((variant) => variant.priceCents)),
    );
  });

  it('suggests nothing from cancelled orders, and never suggests what was ordered even if cancelled', async () => {
    await open(shopWith({ bought: [], cancelled: ['Headphones'] }));
    const recommender = new ProductRecommender({
      store,
      vectors,
      embedder: new LexicalEmbeddings(),
    });

    expect(await recommender.suggest('ada_lovelace_1815')).toEqual([]);
  });

  it('returns nothing for an unknown customer', async () => {
    await open(shopWith({ bought: ['Headphones'] }));
    const recommender = new ProductRecommender({
      store,
      vectors,
      embedder: new LexicalEmbeddings(),
    });

    expect(await recommender.suggest('nobody_0000')).toEqual([]);
  });

  it('computes each product vector once: one batch for the catalogue, none on later calls or after a restart', async () => {
    await open(shopWith({ bought: ['Headphones'] }));
    const embedder = new CountingEmbedder();
    const recommender = new ProductRecommender({ store, vectors, embedder });

    const first = await recommender.suggest('ada_lovelace_1815');
    await recommender.suggest('ada_lovelace_1815');
    await vectors.close();
    vectors = SqliteProductVectorStore.open({ path: path.join(directory, 'vectors.sqlite') });
    const restarted = new ProductRecommender({ store, vectors, embedder });
    const afterRestart = await restarted.suggest('ada_lovelace_1815');

    expect(embedder.calls).toHaveLength(1);
    expect(embedder.calls[0]).toHaveLength(CATALOGUE.length);
    const ids = (list: { productId: string }[]) => list.map((suggestion) => suggestion.productId);
    expect(ids(afterRestart)).toEqual(ids(first));
  });

  it('shares one computation between concurrent first calls', async () => {
    await open(shopWith({ bought: ['Headphones'] }));
    const embedder = new CountingEmbedder();
    const recommender = new ProductRecommender({ store, vectors, embedder });

    await Promise.all([
      recommender.suggest('ada_lovelace_1815'),
      recommender.suggest('ada_lovelace_1815'),
    ]);

    expect(embedder.calls).toHaveLength(1);
  });

  it('recomputes only a product whose text changed, and everything for another embeddings model', async () => {
    await open(shopWith({ bought: ['Headphones'] }));
    const embedder = new CountingEmbedder();
    await new ProductRecommender({ store, vectors, embedder }).suggest('ada_lovelace_1815');
    const speaker = product('Bluetooth Speaker');
    const stored = await vectors.read(embedder.modelName);
    await vectors.write(embedder.modelName, [
      { ...stored.get(speaker.id)!, textHash: 'a-text-that-changed-since' },
    ]);

    await new ProductRecommender({ store, vectors, embedder }).suggest('ada_lovelace_1815');
    const otherModel = new CountingEmbedder({ dimensions: 256 });
    await new ProductRecommender({ store, vectors, embedder: otherModel }).suggest(
      'ada_lovelace_1815',
    );

    expect(embedder.calls).toHaveLength(2);
    expect(embedder.calls[1]).toEqual([productText(speaker)]);
    expect(otherModel.calls).toHaveLength(1);
    expect(otherModel.calls[0]).toHaveLength(CATALOGUE.length);
  });

  it('tries again on the next call when the embeddings service failed', async () => {
    await open(shopWith({ bought: ['Headphones'] }));
    const lexical = new LexicalEmbeddings();
    let failures = 1;
    const flaky: ProductTextEmbedder = {
      modelName: lexical.modelName,
      embed: (texts) => {
        if (failures-- > 0) return Promise.reject(new Error('service down'));
        return lexical.embed(texts);
      },
    };
    const recommender = new ProductRecommender({ store, vectors, embedder: flaky });

    await expect(recommender.suggest('ada_lovelace_1815')).rejects.toThrow('service down');
    expect(await recommender.suggest('ada_lovelace_1815')).toHaveLength(3);
  });

  it('describes a product without a description by its options, leaving colours out', () => {
    const bare: Product = {
      id: 'p1',
      name: 'Headphones',
      description: null,
      warranty: null,
      variants: [
        {
          itemId: 'i1',
          options: { color: 'red', connectivity: 'wireless' },
          available: true,
          priceCents: 100,
        },
        {
          itemId: 'i2',
          options: { color: 'blue', connectivity: 'wired' },
          available: true,
          priceCents: 100,
        },
      ],
    };

    expect(productText(bare)).toBe('Headphones. connectivity: wireless, wired');
  });
});
