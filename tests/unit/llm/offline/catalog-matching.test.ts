import {
  chooseVariant,
  mentionsOptionValue,
  resolveItems,
  resolvePaymentMethod,
} from '../../../../src/llm/offline/catalog-matching';
import type {
  OrderItem,
  ProductDetails,
  UserDetails,
} from '../../../../src/llm/offline/tool-results';
import { loadTauData, type TauData } from './offline-test-kit';

const data: TauData = loadTauData();

function product(name: string): ProductDetails {
  const found = Object.values(data.products).find((entry) => entry.name === name);
  if (found === undefined) throw new Error(`no product ${name} in the τ-bench catalogue`);
  return found;
}

/** An order line for a variant of a τ-bench product: the shape get_order_details answers with. */
function itemOf(name: string, options: Record<string, string>): OrderItem {
  const entry = product(name);
  const variant = Object.values(entry.variants).find((candidate) =>
    Object.entries(options).every(([key, value]) => candidate.options[key] === value),
  );
  if (variant === undefined) throw new Error(`no ${name} variant with ${JSON.stringify(options)}`);
  return {
    name,
    product_id: entry.product_id,
    item_id: variant.item_id,
    price: variant.price,
    options: variant.options,
  };
}

describe('resolveItems', () => {
  const bottle = itemOf('Water Bottle', { capacity: '750ml', material: 'glass', color: 'black' });
  const headphones = itemOf('Headphones', {
    type: 'over-ear',
    connectivity: 'wireless',
    color: 'blue',
  });
  const keyboard = itemOf('Mechanical Keyboard', {
    'switch type': 'linear',
    backlight: 'RGB',
    size: 'full size',
  });
  const order = [bottle, headphones, keyboard];

  it('finds an item by its full name', () => {
    expect(resolveItems('I want to return the water bottle', order)).toEqual({
      kind: 'matched',
      items: [bottle],
    });
  });

  it('finds items by their head noun and plural', () => {
    expect(resolveItems('send back the bottle and the keyboards', order)).toEqual({
      kind: 'matched',
      items: [bottle, keyboard],
    });
  });

  it('finds an item by a synonym', () => {
    expect(resolveItems('the headset broke', order)).toEqual({
      kind: 'matched',
      items: [headphones],
    });
  });

  it('takes every item for "everything"', () => {
    expect(resolveItems('return everything', order)).toEqual({ kind: 'matched', items: order });
  });

  it('finds nothing when no item is named', () => {
    expect(resolveItems('I want to return something', order)).toEqual({ kind: 'none' });
  });

  it('narrows items that share a name by the option words', () => {
    const blackBottle = itemOf('Water Bottle', {
      capacity: '500ml',
      material: 'stainless steel',
      color: 'green',
    });
    expect(resolveItems('the green water bottle', [bottle, blackBottle])).toEqual({
      kind: 'matched',
      items: [blackBottle],
    });
  });

  it('reports items that share a name as ambiguous when nothing tells them apart', () => {
    const other = itemOf('Water Bottle', {
      capacity: '500ml',
      material: 'stainless steel',
      color: 'green',
    });
    expect(resolveItems('the water bottle', [bottle, other])).toEqual({
      kind: 'ambiguous',
      candidates: [bottle, other],
    });
  });

  it('needs no words for an order with one item', () => {
    expect(resolveItems('return it', [keyboard])).toEqual({ kind: 'matched', items: [keyboard] });
  });
});

describe('mentionsOptionValue', () => {
  it.each([
    ['the red one', 'color', 'red', true],
    ['the 1000 ml one', 'capacity', '1000ml', true],
    ['full-size please', 'size', 'full size', true],
    ['size M', 'size', 'M', true],
    ['a medium', 'size', 'M', true],
    ['I am happy', 'size', 'M', false],
    ['size 9 please', 'size', '9', true],
    ['I want 9 of them', 'size', '9', false],
    ['a waterproof one', 'waterproof', 'yes', true],
    ['not waterproof', 'waterproof', 'yes', false],
    ['not waterproof', 'waterproof', 'no', true],
    ['no backlight', 'backlight', 'none', true],
    ['the grey one', 'color', 'gray', true],
  ])('%p names %s=%s: %p', (text, key, value, expected) => {
    expect(mentionsOptionValue(text, key, value)).toBe(expected);
  });
});

describe('chooseVariant', () => {
  it('changes only the options named, keeping the rest', () => {
    const current = itemOf('T-Shirt', {
      color: 'black',
      size: 'XXL',
      material: 'cotton',
      style: 'crew neck',
    });
    const choice = chooseVariant('size XL instead please', product('T-Shirt'), current);
    expect(choice.kind).toBe('chosen');
    if (choice.kind !== 'chosen') return;
    expect(choice.variant.options).toEqual({
      color: 'black',
      size: 'XL',
      material: 'cotton',
      style: 'crew neck',
    });
    expect(choice.variant.available).toBe(true);
    expect(choice.changes).toEqual({ size: 'XL' });
  });

  it('reads "from blue to red" as a wish for red', () => {
    const current = itemOf('Headphones', {
      type: 'over-ear',
      connectivity: 'wireless',
      color: 'blue',
    });
    const choice = chooseVariant(
      'change my blue headphones to red',
      product('Headphones'),
      current,
    );
    expect(
      choice.kind === 'chosen' || choice.kind === 'unavailable' || choice.kind === 'ambiguous',
    ).toBe(true);
    expect('changes' in choice ? choice.changes : null).toEqual({ color: 'red' });
  });

  it('says so when no change is named', () => {
    const current = itemOf('T-Shirt', {
      color: 'black',
      size: 'XXL',
      material: 'cotton',
      style: 'crew neck',
    });
    expect(chooseVariant('I want to change the t-shirt', product('T-Shirt'), current)).toEqual({
      kind: 'no_change_requested',
    });
  });

  it('reports a variant that exists only out of stock as unavailable', () => {
    // In τ-bench's catalogue the red cotton crew-neck T-shirt in S is not available.
    const current = itemOf('T-Shirt', {
      color: 'red',
      size: 'XXL',
      material: 'cotton',
      style: 'crew neck',
    });
    expect(chooseVariant('size S', product('T-Shirt'), current)).toEqual({
      kind: 'unavailable',
      changes: { size: 'S' },
    });
  });

  it('reports values no variant has together as no match', () => {
    // τ-bench's T-shirts come in red only in cotton.
    const current = itemOf('T-Shirt', {
      color: 'black',
      size: 'XXL',
      material: 'cotton',
      style: 'crew neck',
    });
    expect(chooseVariant('red polyester', product('T-Shirt'), current)).toEqual({
      kind: 'no_match',
      changes: { color: 'red', material: 'polyester' },
    });
  });

  it('offers the variants that have the named values when the exact one does not exist, changing nothing unasked', () => {
    // There is no purple cotton crew-neck in XXL; purple comes as XL cotton crew-neck or S polyester v-neck.
    const current = itemOf('T-Shirt', {
      color: 'black',
      size: 'XXL',
      material: 'cotton',
      style: 'crew neck',
    });
    const choice = chooseVariant('the purple one', product('T-Shirt'), current);
    expect(choice.kind).toBe('ambiguous');
    if (choice.kind !== 'ambiguous') return;
    expect(choice.candidates.map((variant) => variant.options.color)).toEqual(['purple', 'purple']);
    expect(choice.candidates[0]!.options).toEqual({
      color: 'purple',
      size: 'XL',
      material: 'cotton',
      style: 'crew neck',
    });
  });
});

describe('resolvePaymentMethod', () => {
  const user: UserDetails = {
    name: { first_name: 'Ava', last_name: 'Moore' },
    payment_methods: {
      credit_card_1: {
        source: 'credit_card',
        id: 'credit_card_1',
        brand: 'visa',
        last_four: '1111',
      },
      credit_card_2: {
        source: 'credit_card',
        id: 'credit_card_2',
        brand: 'mastercard',
        last_four: '2222',
      },
      paypal_3: { source: 'paypal', id: 'paypal_3' },
    },
    orders: [],
  };

  it('finds a method by kind', () => {
    expect(
      resolvePaymentMethod({ id: null, source: 'paypal', brand: null, lastFour: null }, user),
    ).toEqual({
      kind: 'matched',
      method: user.payment_methods.paypal_3,
    });
  });

  it('finds a card by its last four digits', () => {
    expect(
      resolvePaymentMethod(
        { id: null, source: 'credit_card', brand: null, lastFour: '2222' },
        user,
      ),
    ).toEqual({
      kind: 'matched',
      method: user.payment_methods.credit_card_2,
    });
  });

  it('reports two cards as ambiguous when only "card" was said', () => {
    const resolution = resolvePaymentMethod(
      { id: null, source: 'credit_card', brand: null, lastFour: null },
      user,
    );
    expect(resolution.kind).toBe('ambiguous');
  });

  it('finds nothing for a method the customer does not have', () => {
    expect(
      resolvePaymentMethod({ id: null, source: 'gift_card', brand: null, lastFour: null }, user),
    ).toEqual({
      kind: 'none',
    });
  });
});
