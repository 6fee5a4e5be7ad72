import {
  buildSearchQuery,
  extractAddress,
  extractCancelReason,
  extractEmails,
  extractName,
  extractOrderIds,
  extractOrdinal,
  extractPaymentReference,
  extractZip,
  mentionsAllItems,
  normalizeForClassification,
} from '../../../../src/llm/offline/entities';

describe('extractOrderIds', () => {
  it.each([
    ['status of #W2378156?', ['#W2378156']],
    ['order W2378156 please', ['#W2378156']],
    ['it is w2378156', ['#W2378156']],
    ['my order is W 237 8156', ['#W2378156']],
    ['# W2378156', ['#W2378156']],
    ['W-2378156', ['#W2378156']],
    ['#2378156', ['#W2378156']],
    ['#W2378156 and #W1234567, also #W2378156 again', ['#W2378156', '#W1234567']],
  ])('reads %p as %p', (text, expected) => {
    expect(extractOrderIds(text)).toEqual(expected);
  });

  it.each([['W23781567'], ['W237815'], ['call 5551234567'], ['2378156'], ['the WX2378156 part']])(
    'finds no order id in %p',
    (text) => {
      expect(extractOrderIds(text)).toEqual([]);
    },
  );
});

describe('extractEmails', () => {
  it('finds emails lower-cased, in order, without repeats', () => {
    expect(
      extractEmails(
        'Mail Ana.Souza+shop@Example.COM or ana@example.org; Ana.Souza+shop@example.com',
      ),
    ).toEqual(['ana.souza+shop@example.com', 'ana@example.org']);
  });

  it('finds nothing in text without an address', () => {
    expect(extractEmails('my email is at example dot com')).toEqual([]);
  });
});

describe('extractZip', () => {
  it.each([
    ['my zip is 19122', '19122'],
    ['zip code: 02139-1234', '02139'],
    ['Yusuf Rossi 19122', '19122'],
    ['postal code 10083', '10083'],
    ['12345', '12345'],
  ])('reads %p as %p', (text, expected) => {
    expect(extractZip(text)).toBe(expected);
  });

  it.each([
    ['call me at 2125551234'],
    ['1234567'],
    ['order #W1234567'],
    ['it cost $12345.00'],
    ['my email is j12345@example.com'],
    ['the 10000 mAh charger'],
    ['1234'],
  ])('finds no zip in %p', (text) => {
    expect(extractZip(text)).toBeNull();
  });

  it('prefers the zip named as such over another five-digit number', () => {
    expect(extractZip('house 55501 on the corner, zip 19122')).toBe('19122');
  });
});

describe('extractName', () => {
  it.each([
    ['my name is yusuf rossi', { firstName: 'Yusuf', lastName: 'Rossi' }],
    ["I'm Maria Garcia", { firstName: 'Maria', lastName: 'Garcia' }],
    ['first name Lucas last name Martin', { firstName: 'Lucas', lastName: 'Martin' }],
    ['Yusuf Rossi 19122', { firstName: 'Yusuf', lastName: 'Rossi' }],
    ["name: mary-jane o'neil", { firstName: 'Mary-Jane', lastName: "O'Neil" }],
  ])('reads %p', (text, expected) => {
    expect(extractName(text)).toEqual(expected);
  });

  it('reads two bare lower-case words as a name only when a name was asked for', () => {
    expect(extractName('yusuf rossi')).toBeNull();
    expect(extractName('yusuf rossi', { expectingName: true })).toEqual({
      firstName: 'Yusuf',
      lastName: 'Rossi',
    });
  });

  it.each([
    ['I am looking for my order'],
    ["I'm trying to return it"],
    ['this is taking forever'],
    ['cancel order'],
  ])('finds no name in %p', (text) => {
    expect(extractName(text, { expectingName: true })).toBeNull();
  });
});

describe('extractCancelReason', () => {
  it.each([
    ['cancel it, I ordered it by mistake', 'ordered by mistake'],
    ['accidentally ordered twice', 'ordered by mistake'],
    ["I don't need it anymore", 'no longer needed'],
    ['no longer needed', 'no longer needed'],
    ['I changed my mind', 'no longer needed'],
  ])('reads %p as %p', (text, expected) => {
    expect(extractCancelReason(text)).toBe(expected);
  });

  it('finds no reason when none is given', () => {
    expect(extractCancelReason('please cancel order #W1234567')).toBeNull();
  });
});

describe('extractAddress', () => {
  it.each([
    [
      'change the address to 123 Elm Street, Austin, TX 78712',
      {
        address1: '123 Elm Street',
        address2: '',
        city: 'Austin',
        state: 'TX',
        country: 'USA',
        zip: '78712',
      },
    ],
    [
      '55 Oak Avenue, Suite 200, Denver CO 80202',
      {
        address1: '55 Oak Avenue',
        address2: 'Suite 200',
        city: 'Denver',
        state: 'CO',
        country: 'USA',
        zip: '80202',
      },
    ],
    [
      '763 Broadway, Suite 135, Philadelphia, PA, 19122, USA',
      {
        address1: '763 Broadway',
        address2: 'Suite 135',
        city: 'Philadelphia',
        state: 'PA',
        country: 'USA',
        zip: '19122',
      },
    ],
    [
      '10 Main St Apt 4 Springfield IL 62704',
      {
        address1: '10 Main St',
        address2: 'Apt 4',
        city: 'Springfield',
        state: 'IL',
        country: 'USA',
        zip: '62704',
      },
    ],
    [
      'ship #W1234567 to 400 Broad St, Newark, New Jersey 07102',
      {
        address1: '400 Broad St',
        address2: '',
        city: 'Newark',
        state: 'NJ',
        country: 'USA',
        zip: '07102',
      },
    ],
  ])('reads %p', (text, expected) => {
    expect(extractAddress(text)).toEqual(expected);
  });

  it.each([
    ['123 Elm St, Austin 78712'],
    ['change my address please'],
    ['Austin, TX 78712'],
    ['123 Elm Street, Austin, ZZ 78712'],
  ])('returns null for the incomplete or invalid address %p', (text) => {
    expect(extractAddress(text)).toBeNull();
  });
});

describe('extractPaymentReference', () => {
  it.each([
    ['pay with paypal instead', { id: null, source: 'paypal', brand: null, lastFour: null }],
    [
      'use my visa ending in 1234',
      { id: null, source: 'credit_card', brand: 'visa', lastFour: '1234' },
    ],
    ['put it on the gift card', { id: null, source: 'gift_card', brand: null, lastFour: null }],
    [
      'credit_card_7815826 please',
      { id: 'credit_card_7815826', source: 'credit_card', brand: null, lastFour: null },
    ],
    ['the card ending 9212', { id: null, source: 'credit_card', brand: null, lastFour: '9212' }],
  ])('reads %p', (text, expected) => {
    expect(extractPaymentReference(text)).toEqual(expected);
  });

  it('returns null when no payment method is named', () => {
    expect(extractPaymentReference('change the payment')).toBeNull();
  });
});

describe('small readings', () => {
  it('reads ordinals 0-based, and "last" as -1', () => {
    expect(extractOrdinal('the second one')).toBe(1);
    expect(extractOrdinal('my last order')).toBe(-1);
    expect(extractOrdinal('that one')).toBeNull();
  });

  it('knows when every item is meant', () => {
    expect(mentionsAllItems('return everything')).toBe(true);
    expect(mentionsAllItems('the whole order')).toBe(true);
    expect(mentionsAllItems('the headphones')).toBe(false);
  });

  it('builds a search query of content words without identifiers', () => {
    expect(buildSearchQuery('How long do refunds take for #W1234567, jo@example.com?')).toBe(
      'long refunds take',
    );
  });

  it('replaces identifiers with placeholder words before classification', () => {
    expect(
      normalizeForClassification('cancel W 237 8156, email jo@example.com zip 19122, $12.50'),
    ).toBe('cancel order , email email zip zipcode , price');
  });
});
