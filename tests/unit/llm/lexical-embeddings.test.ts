import { LexicalEmbeddings, lexicalWords } from '../../../src/llm/lexical-embeddings';

const cosine = (left: number[], right: number[]) =>
  left.reduce((sum, value, index) => sum + value * right[index]!, 0);
const length = (vector: number[]) => Math.sqrt(cosine(vector, vector));

describe('LexicalEmbeddings', () => {
  const embeddings = new LexicalEmbeddings();

  it('returns one unit-length vector per text, in order', async () => {
    const vectors = await embeddings.embed(['Headphones', 'A blender for smoothies', 'Sofa']);

    expect(vectors).toHaveLength(3);
    for (const vector of vectors) {
      expect(vector).toHaveLength(1024);
      expect(length(vector)).toBeCloseTo(1, 6);
    }
  });

  it('returns the same vector for the same text every time, whatever else is embedded with it', async () => {
    const [alone] = await embeddings.embed(['Over-ear headphones with noise cancelling']);
    const [, together] = await embeddings.embed([
      'A sofa',
      'Over-ear headphones with noise cancelling',
    ]);

    expect(together).toEqual(alone);
    expect(new LexicalEmbeddings().vectorOf('Over-ear headphones with noise cancelling')).toEqual(
      alone,
    );
  });

  it('places products of the same kind closer than unrelated ones, even without shared words', () => {
    const headphones = embeddings.vectorOf(
      'Headphones. Over-ear headphones with active noise cancelling.',
    );
    const speaker = embeddings.vectorOf(
      'Bluetooth Speaker. A waterproof speaker with 360-degree sound.',
    );
    const sofa = embeddings.vectorOf('Sofa. A three-seat sofa with a hardwood frame.');

    expect(cosine(headphones, speaker)).toBeGreaterThan(cosine(headphones, sofa) + 0.2);
  });

  it('reads words case- and accent-insensitively, singular, without stop words or bare numbers', () => {
    expect(lexicalWords('The Sunglasses and 2 Watches, with Café batteries')).toEqual([
      'sunglass',
      'watch',
      'cafe',
      'battery',
    ]);
  });

  it('gives an empty text the zero vector rather than failing', () => {
    expect(embeddings.vectorOf('').every((value) => value === 0)).toBe(true);
  });

  it('names its vector space by scheme and size, so stored vectors of another size are not reused', () => {
    expect(new LexicalEmbeddings({ dimensions: 256 }).modelName).not.toBe(embeddings.modelName);
  });
});
