import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppError } from '../../../src/shared/errors';
import { MiniSearchPolicySearch } from '../../../src/knowledge/minisearch-policy-search';
import { loadPolicyLibrary, type PolicyLibrary } from '../../../src/knowledge/policy-library';
import type { PolicySearchHit } from '../../../src/knowledge/policy-search';

let library: PolicyLibrary;
let search: MiniSearchPolicySearch;

beforeAll(async () => {
  library = await loadPolicyLibrary();
  search = new MiniSearchPolicySearch(library);
});

function where(hit: PolicySearchHit | undefined): string {
  return hit === undefined ? '(nothing)' : `${hit.documentId} › ${hit.section}`;
}

describe('MiniSearchPolicySearch over the built-in documents', () => {
  it('answers how long a card refund takes with the passage stating 5–7 business days', async () => {
    const hits = await search.search('how long do refunds take to my credit card');

    expect(where(hits[0])).toBe('payments-and-gift-cards › How long refunds take');
    expect(hits[0]?.text).toContain('5–7 business days');
    expect(hits.map(where)).toContain('returns-and-refunds › How long a refund takes');
  });

  it('answers whether a shipped order can be cancelled from the cancellations policy', async () => {
    const hits = await search.search('can I cancel an order that has shipped');

    expect(where(hits[0])).toBe('cancellations-and-order-changes › Orders that have shipped');
    expect(hits[0]?.text).toContain('cannot be cancelled');
  });

  it('answers whether a blender is covered after 18 months from the warranty coverage section', async () => {
    const hits = await search.search('is my blender covered if it breaks after 18 months');

    expect(hits[0]?.documentId).toBe('warranty');
    expect(hits[0]?.section).toBe('How long coverage lasts');
    expect(hits.map((hit) => hit.text).join('\n')).toMatch(/blenders/);
  });

  it('answers how to give a card number with a passage saying never to share it', async () => {
    const hits = await search.search('how do I give my card number');

    expect(where(hits[0])).toBe(
      'payments-and-gift-cards › Never share card details in a chat or call',
    );
    expect(hits[0]?.text).toMatch(/never ask for a full card number/);
  });

  it('returns hits that carry the document id, title, section, text and a positive score, best first', async () => {
    const hits = await search.search('return window');

    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) {
      expect(library.document(hit.documentId)?.title).toBe(hit.documentTitle);
      expect(hit.section.length).toBeGreaterThan(0);
      expect(hit.text.length).toBeGreaterThan(0);
      expect(hit.score).toBeGreaterThan(0);
    }
    const scores = hits.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('returns at most the limit asked for, and 3 by default', async () => {
    expect((await search.search('refund gift card order', { limit: 2 })).length).toBe(2);
    expect((await search.search('refund gift card order')).length).toBe(3);
    expect(
      (await search.search('refund gift card order', { limit: 500 })).length,
    ).toBeLessThanOrEqual(10);
    expect((await search.search('refund gift card order', { limit: 0 })).length).toBe(1);
    expect((await search.search('refund gift card order', { limit: Number.NaN })).length).toBe(3);
  });

  it('returns nothing for a question no policy is about', async () => {
    expect(await search.search('what is the weather in paris')).toEqual([]);
  });

  it('returns nothing for an empty question or one made of stop words only', async () => {
    expect(await search.search('')).toEqual([]);
    expect(await search.search('how do I do that?')).toEqual([]);
  });

  it('tolerates a typo in a longer word', async () => {
    const hits = await search.search('warrenty claim');

    expect(where(hits[0])).toBe('warranty › How to make a claim');
  });

  it("finds the documents' wording from a customer's word", async () => {
    const hits = await search.search('my package never arrived');

    expect(where(hits[0])).toBe('shipping-and-delivery › Lost or missing parcels');
  });

  it('drops hits far weaker than the best one', async () => {
    const unfiltered = new MiniSearchPolicySearch(library, { minRelativeScore: 0 });
    const query = 'restocking fee';

    const all = await unfiltered.search(query, { limit: 10 });
    const kept = await new MiniSearchPolicySearch(library, { minRelativeScore: 0.5 }).search(
      query,
      { limit: 10 },
    );

    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(all.length);
    const best = kept[0]?.score ?? 0;
    expect(kept.every((hit) => hit.score >= best * 0.5)).toBe(true);
  });

  it('rejects a relative score threshold outside 0 to 1', () => {
    expect(() => new MiniSearchPolicySearch(library, { minRelativeScore: 1.5 })).toThrow(AppError);
  });
});

describe('MiniSearchPolicySearch over custom documents', () => {
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'policy-search-'));
    writeFileSync(
      path.join(folder, 'care.md'),
      [
        '# Product care',
        '',
        '## Cleaning',
        '',
        'Wipe with a dry cloth. Descaling kettles monthly keeps them quiet.',
        '',
        '## Descaling',
        '',
        'Use a mild acid such as citric acid.',
      ].join('\n'),
    );
    writeFileSync(
      path.join(folder, 'store.md'),
      '# Store\n\n## Opening times\n\nThe store opens at 9 am.',
    );
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('ranks the section whose heading names the topic above a passage that only mentions it', async () => {
    const custom = new MiniSearchPolicySearch(await loadPolicyLibrary({ directory: folder }));

    const hits = await custom.search('descaling');

    expect(hits.map((hit) => hit.section)).toEqual(['Descaling', 'Cleaning']);
    expect(custom.size).toBe(3);
  });

  it('searches only the documents of the custom folder', async () => {
    const custom = new MiniSearchPolicySearch(await loadPolicyLibrary({ directory: folder }));

    expect(await custom.search('refund credit card')).toEqual([]);
    expect((await custom.search('opening times')).map((hit) => hit.documentId)).toEqual(['store']);
  });
});
