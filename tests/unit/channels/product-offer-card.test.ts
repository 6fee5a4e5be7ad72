import {
  productOfferActivity,
  readProductOfferValue,
} from '../../../src/channels/product-offer-card';
import type { ProductOffer } from '../../../src/conversation/recommendation-advisor';

const OFFER: ProductOffer = {
  id: 'offer-1',
  intro: 'Before you go: since you have the Headphones, you might also like these.',
  products: [
    {
      productId: 'p-speaker',
      name: 'Bluetooth Speaker',
      description: 'A waterproof Bluetooth speaker with 360-degree sound.',
      priceFromCents: 4900,
      becauseOf: { name: 'Headphones' },
    },
    {
      productId: 'p-earbuds',
      name: 'Wireless Earbuds',
      description: null,
      priceFromCents: 7999,
      becauseOf: { name: 'Headphones' },
    },
  ],
};

describe('productOfferActivity', () => {
  it('renders the offer as one Adaptive Card with a "No thanks" button on Web Chat and Teams', () => {
    const webchat = productOfferActivity('webchat', OFFER);

    expect(webchat).toEqual(productOfferActivity('teams', OFFER));
    expect(webchat!.text).toBe(OFFER.intro);
    expect(webchat!.attachments).toHaveLength(1);
    expect(webchat!.attachments![0]!.content).toMatchSnapshot();
  });

  it('renders the offer in plain words on other text channels', () => {
    const text = productOfferActivity('text', OFFER)!.text!;

    expect(text).toContain('Bluetooth Speaker (from $49.00)');
    expect(text).toContain('Wireless Earbuds (from $79.99)');
    expect(text).toMatch(/no thanks/i);
  });

  it('returns null on the phone', () => {
    expect(productOfferActivity('voice', OFFER)).toBeNull();
  });
});

describe('readProductOfferValue', () => {
  it("reads what the button posts, on Web Chat and in Teams' messageBack", () => {
    const card = productOfferActivity('webchat', OFFER)!.attachments![0]!.content as {
      actions: { data: { msteams: { value: unknown } } }[];
    };
    const data = card.actions[0]!.data;

    expect(readProductOfferValue(data)).toEqual({ id: 'offer-1', decision: 'decline' });
    expect(readProductOfferValue(data.msteams.value)).toEqual({
      id: 'offer-1',
      decision: 'decline',
    });
  });

  it.each([
    undefined,
    'no thanks',
    { productOffer: { id: '', decision: 'decline' } },
    { productOffer: { id: 'x', decision: 'accept' } },
  ])('returns null for anything else: %p', (value) => {
    expect(readProductOfferValue(value)).toBeNull();
  });
});
