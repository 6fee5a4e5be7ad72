import { loadPolicyLibrary, type PolicyLibrary } from '../../../src/knowledge/policy-library';
import {
  CANCELLATION_REASONS,
  CARD_REFUND_BUSINESS_DAYS,
  DAMAGED_PARCEL_REPORT_DAYS,
  RETURN_WINDOW_DAYS,
  TRANSCRIPT_RETENTION_DAYS,
  WARRANTY_CATEGORIES,
  WARRANTY_MONTHS_BY_CATEGORY,
} from '../../../src/knowledge/policy-facts';

/**
 * The documents are product copy and the constants are code: these tests read the numbers out of the
 * documents' own words, so changing either side alone fails here.
 */
let library: PolicyLibrary;

beforeAll(async () => {
  library = await loadPolicyLibrary();
});

function documentText(id: string): string {
  const document = library.document(id);
  if (document === undefined) throw new Error(`no document ${id}`);
  return document.passages.map((passage) => passage.text).join('\n\n');
}

function allText(): string {
  return library.documents.map((document) => documentText(document.id)).join('\n\n');
}

/** Every number a pattern captures, across the given text. */
function numbersIn(text: string, pattern: RegExp): number[] {
  return [...text.matchAll(pattern)].map((match) => Number(match[1]));
}

describe('policy documents and policy facts', () => {
  it('state the return window as RETURN_WINDOW_DAYS from delivery, and no other return window', () => {
    const returns = documentText('returns-and-refunds');

    expect(returns).toContain(`within **${RETURN_WINDOW_DAYS} days from the delivery date**`);
    const windows = [
      ...numbersIn(allText(), /(\d+)-day (?:return )?window/g),
      ...numbersIn(allText(), /return the items within (\d+) days/g),
      ...numbersIn(allText(), /Within \*\*(\d+) days of delivery\*\*/g),
    ];
    expect(windows.length).toBeGreaterThanOrEqual(4);
    expect(new Set(windows)).toEqual(new Set([RETURN_WINDOW_DAYS]));
  });

  it('state card and PayPal refund times as CARD_REFUND_BUSINESS_DAYS wherever refunds are timed', () => {
    const range = `${CARD_REFUND_BUSINESS_DAYS.min}–${CARD_REFUND_BUSINESS_DAYS.max} business days`;
    const refundDocuments = [
      'returns-and-refunds',
      'payments-and-gift-cards',
      'cancellations-and-order-changes',
    ];

    for (const id of refundDocuments) {
      const text = documentText(id);
      expect({ id, states: text.includes(range) }).toEqual({ id, states: true });
      const ranges = [...text.matchAll(/(\d+)\s*[–-]\s*(\d+) business days/g)].map(
        (match) => `${match[1]}–${match[2]}`,
      );
      expect(new Set(ranges)).toEqual(
        new Set([`${CARD_REFUND_BUSINESS_DAYS.min}–${CARD_REFUND_BUSINESS_DAYS.max}`]),
      );
    }
  });

  it('state that refunds to gift cards are immediate', () => {
    expect(documentText('payments-and-gift-cards')).toMatch(/\| Gift card \| immediately/);
    expect(documentText('returns-and-refunds')).toMatch(
      /refunds to a \*\*gift card\*\* are immediate/,
    );
    expect(documentText('cancellations-and-order-changes')).toMatch(/immediately to gift cards/);
  });

  it('list exactly the warranty categories and months of WARRANTY_CATEGORIES in the coverage table', () => {
    const rows = [
      ...documentText('warranty').matchAll(/^\| ([^|]+?) \| (\d+) months \((\d+) years?\) \|/gm),
    ];
    const table = Object.fromEntries(rows.map((row) => [row[1], Number(row[2])]));

    const expected = Object.fromEntries(
      Object.values(WARRANTY_CATEGORIES).map((category) => [category.label, category.months]),
    );
    expect(table).toEqual(expected);
    for (const row of rows) expect(Number(row[3]) * 12).toBe(Number(row[2]));
  });

  it('offer only 12, 24 and 36 months of coverage, the terms the warranty check reports', () => {
    expect(Object.values(WARRANTY_MONTHS_BY_CATEGORY).sort((a, b) => a - b)).toEqual([12, 24, 36]);
    const monthsInWarranty = numbersIn(documentText('warranty'), /(\d+) months/g);
    expect(monthsInWarranty.filter((months) => ![12, 24, 36, 18].includes(months))).toEqual([]);
  });

  it('keep the blender example consistent with the electronics and appliances coverage', () => {
    const warranty = documentText('warranty');
    const example = /a blender delivered on (\d+ \w+ \d{4}) is covered until (\d+ \w+ \d{4})/.exec(
      warranty,
    );
    if (example?.[1] === undefined || example[2] === undefined)
      throw new Error('the blender example is gone');
    const delivered = new Date(`${example[1]} UTC`);
    const coveredUntil = new Date(`${example[2]} UTC`);

    const monthsCovered =
      (coveredUntil.getUTCFullYear() - delivered.getUTCFullYear()) * 12 +
      coveredUntil.getUTCMonth() -
      delivered.getUTCMonth();

    expect(warranty).toMatch(/\| Electronics and appliances \|[^\n]*blenders/);
    expect(monthsCovered).toBe(WARRANTY_MONTHS_BY_CATEGORY.electronics_and_appliances);
    expect(coveredUntil.getUTCDate()).toBe(delivered.getUTCDate());
  });

  it('give exactly the cancellation reasons the order tools accept', () => {
    const cancellations = documentText('cancellations-and-order-changes');
    const listed = [...cancellations.matchAll(/^- \*\*([a-z ]+)\*\*/gm)].map((match) => match[1]);

    expect(listed).toEqual([...CANCELLATION_REASONS]);
  });

  it('state the transcript retention and damaged-parcel report periods of the constants', () => {
    expect(documentText('privacy-and-verification')).toContain(
      `for **${TRANSCRIPT_RETENTION_DAYS} days**`,
    );
    expect(documentText('shipping-and-delivery')).toContain(
      `within **${DAMAGED_PARCEL_REPORT_DAYS} days of delivery**`,
    );
  });

  it('state the order-tool rules: only pending orders change, items change once, processed orders stay', () => {
    const cancellations = documentText('cancellations-and-order-changes');

    expect(cancellations).toContain('Only a **pending** order can be cancelled or changed.');
    expect(cancellations).toContain('Items can be modified **only once per order**.');
    expect(cancellations).toContain('`pending (item modified)`');
    expect(cancellations).toContain('A shipped (`processed`) order cannot be cancelled');
    expect(cancellations).toMatch(/its balance must cover the whole order amount/);
    expect(documentText('returns-and-refunds')).toContain(
      'Only orders with the status `delivered` can be returned or exchanged.',
    );
  });

  it('state the verification rule: email or full name, together with the zip code', () => {
    const privacy = documentText('privacy-and-verification');

    expect(privacy).toContain('the **email address** on their account, or');
    expect(privacy).toContain('in both cases **together with the zip code**');
  });

  it('never ask for a card number in any document', () => {
    expect(documentText('payments-and-gift-cards')).toContain('never ask for a full card number');
    expect(documentText('privacy-and-verification')).toContain('full credit or debit card numbers');
    expect(allText()).not.toMatch(
      /(please|kindly) (send|share|give|type|provide)[^.]*card number/i,
    );
  });
});
