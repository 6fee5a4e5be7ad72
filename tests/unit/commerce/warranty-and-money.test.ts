import { dollarsToCents, formatMoney } from '../../../src/commerce/money';
import { addMonths, assessWarranty } from '../../../src/commerce/warranty';

const TERMS = {
  category: 'Electronics and appliances',
  coverageMonths: 24,
  terms: 'Covers defects.',
};

describe('addMonths', () => {
  it.each([
    ['2026-03-10', 24, '2028-03-10'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2025-11-15', 3, '2026-02-15'],
  ])('%s plus %i months is %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});

describe('assessWarranty', () => {
  it('covers from the delivery date through the last day of coverage', () => {
    const onLastDay = assessWarranty({
      terms: TERMS,
      deliveredAt: '2026-03-10T15:00:00.000Z',
      orderStatus: 'delivered',
      now: new Date('2028-03-10T23:59:00.000Z'),
    });
    const dayAfter = assessWarranty({
      terms: TERMS,
      deliveredAt: '2026-03-10T15:00:00.000Z',
      orderStatus: 'delivered',
      now: new Date('2028-03-11T00:00:00.000Z'),
    });

    expect(onLastDay).toEqual({
      deliveredOn: '2026-03-10',
      coverageEnds: '2028-03-10',
      inWarranty: true,
    });
    expect(dayAfter.inWarranty).toBe(false);
  });

  it('cannot say before delivery or without terms, and says no for a cancelled order', () => {
    const now = new Date('2026-11-24T10:00:00.000Z');
    expect(
      assessWarranty({ terms: TERMS, deliveredAt: null, orderStatus: 'processed', now }).inWarranty,
    ).toBeNull();
    expect(
      assessWarranty({
        terms: null,
        deliveredAt: '2026-01-01T00:00:00.000Z',
        orderStatus: 'delivered',
        now,
      }).inWarranty,
    ).toBeNull();
    expect(
      assessWarranty({ terms: TERMS, deliveredAt: null, orderStatus: 'cancelled', now }).inWarranty,
    ).toBe(false);
  });
});

describe('money', () => {
  it.each([
    [47.84, 4784],
    [0.04999999999999716, 5],
    [2742.67, 274267],
    [0, 0],
  ])('%d dollars are %i cents', (dollars, cents) => {
    expect(dollarsToCents(dollars)).toBe(cents);
  });

  it('refuses fractions of a cent and non-finite amounts', () => {
    expect(dollarsToCents(12.345)).toBeNull();
    expect(dollarsToCents(Number.NaN)).toBeNull();
  });

  it('formats for people with separators and sign', () => {
    expect(formatMoney(123456)).toBe('$1,234.56');
    expect(formatMoney(-1663)).toBe('-$16.63');
    expect(formatMoney(5)).toBe('$0.05');
  });
});
