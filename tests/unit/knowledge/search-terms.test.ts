import { stem, tokenize, toQueryTerms, toSearchTerm } from '../../../src/knowledge/search-terms';

describe('toSearchTerm', () => {
  it.each([
    ['refunds', 'refunded', 'refunding', 'refund'],
    ['cancelled', 'canceled', 'cancellation', 'cancel'],
    ['shipped', 'shipping', 'ships', 'ship'],
    ['damaged', 'damages', 'damage', 'damage'],
    ['verification', 'verified', 'verifies', 'verify'],
    ['deliveries', 'delivery', 'Delivery', 'delivery'],
  ])('returns one term for %s, %s, %s and %s', (...words) => {
    const terms = new Set(words.map(toSearchTerm));

    expect(terms.size).toBe(1);
  });

  it('keeps words apart that only look alike', () => {
    expect(toSearchTerm('address')).not.toBe(toSearchTerm('add'));
    expect(toSearchTerm('status')).toBe('status');
    expect(toSearchTerm('business')).toBe('business');
  });

  it('returns null for English stop words', () => {
    expect(['how', 'do', 'I', 'my', 'the', 'please', 'would'].map(toSearchTerm)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('keeps "not", which tells what is not covered from what is', () => {
    expect(toSearchTerm('not')).toBe('not');
  });

  it('folds diacritics so décor meets decor', () => {
    expect(toSearchTerm('Décor')).toBe(toSearchTerm('decor'));
  });

  it('leaves numbers as they are', () => {
    expect(stem('30')).toBe('30');
    expect(stem('4321s')).toBe('4321s');
  });
});

describe('tokenize', () => {
  it('splits on markdown marks, dashes and currency signs', () => {
    expect(tokenize('**5–7 business days**, `pending` $49 e-readers')).toEqual([
      '5',
      '7',
      'business',
      'days',
      'pending',
      '49',
      'e',
      'readers',
    ]);
  });
});

describe('toQueryTerms', () => {
  it("adds the documents' word for a customer's word", () => {
    expect(toQueryTerms('package')).toEqual([toSearchTerm('package'), toSearchTerm('parcel')]);
    expect(toQueryTerms('human')).toEqual(['human', 'person', 'agent']);
  });

  it('returns the term alone when there is no synonym, and null for a stop word', () => {
    expect(toQueryTerms('warranty')).toEqual(['warranty']);
    expect(toQueryTerms('the')).toBeNull();
  });
});
