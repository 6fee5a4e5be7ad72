import { nextQuestions, orderCard, shipmentCard } from '../../../src/channels/order-cards';

const order = {
  order_id: '#W4821001',
  user_id: 'olivia_bennett_4821',
  status: 'pending',
  placed_at: '2026-11-24',
  address: {
    address1: '1420 Maple Street',
    address2: 'Apt 3B',
    city: 'Denver',
    state: 'CO',
    zip: '80211',
    country: 'USA',
  },
  items: [
    {
      name: 'Headphones',
      product_id: 'p1',
      item_id: 'i1',
      price: 237.48,
      options: { type: 'over-ear', color: 'blue' },
    },
    {
      name: 'Water Bottle',
      product_id: 'p2',
      item_id: 'i2',
      price: 41.25,
      options: { capacity: '750ml' },
    },
  ],
  fulfillments: [],
  payment_history: [],
};

/** Every TextBlock's text in a card, in order. */
function texts(card: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      if (record.type === 'TextBlock' && typeof record.text === 'string') found.push(record.text);
      if (record.type === 'FactSet') {
        for (const fact of record.facts as { title: string; value: string }[])
          found.push(`${fact.title}: ${fact.value}`);
      }
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return found;
}

describe('orderCard', () => {
  it('shows the status, each item with its options and price, the total in cents, and where it goes', () => {
    const card = orderCard(order)!;

    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(texts(card.content)).toEqual([
      'Order #W4821001',
      'Placed November 24, 2026',
      'Pending',
      'Headphones',
      'over-ear · blue',
      '$237.48',
      'Water Bottle',
      '750ml',
      '$41.25',
      'Total',
      '$278.73',
      'Ship to: 1420 Maple Street, Apt 3B, Denver, CO 80211',
    ]);
    expect((card.content as { speak: string }).speak).toBe(
      'Order #W4821001 is pending: 2 items, $278.73 in all.',
    );
  });

  it('makes no card from data of another shape', () => {
    expect(orderCard({ order_id: '#W1', status: 'pending' })).toBeNull();
    expect(orderCard({ error: 'order not found' })).toBeNull();
  });
});

describe('shipmentCard', () => {
  it('shows each parcel with its newest five events first', () => {
    const events = Array.from({ length: 7 }, (_, index) => ({
      time: `2026-11-${String(10 + index).padStart(2, '0')}T12:00:00Z`,
      location: `Hub ${index}`,
      description: `Event ${index}`,
    }));
    const card = shipmentCard({
      order_id: '#W7314001',
      status: 'processed',
      shipments: [
        {
          tracking_id: '1Z999',
          carrier: 'UPS',
          item_ids: ['i1'],
          status: 'in_transit',
          estimated_delivery: '2026-11-27',
          delivered_at: null,
          events,
        },
      ],
    })!;

    const shown = texts(card.content);
    expect(shown.slice(0, 4)).toEqual([
      'Delivery of #W7314001',
      'Shipped',
      'UPS 1Z999',
      'In transit, expected November 27, 2026.',
    ]);
    expect(shown.filter((text) => text.startsWith('Event '))).toEqual([
      'Event 6',
      'Event 5',
      'Event 4',
      'Event 3',
      'Event 2',
    ]);
  });

  it('makes no card when nothing has shipped', () => {
    expect(
      shipmentCard({ order_id: '#W1', status: 'pending', shipments: [], note: 'Not shipped yet' }),
    ).toBeNull();
  });
});

describe('nextQuestions', () => {
  it('offers what can still happen to the order', () => {
    const titles = (status: string) =>
      nextQuestions({ ...order, status }).map((action) => action.title);

    expect(titles('pending')).toEqual(['Cancel it', 'Change the address']);
    expect(titles('processed')).toEqual(['Where is it?']);
    expect(titles('delivered')).toEqual(['Return an item', 'Warranty?']);
    expect(titles('cancelled')).toEqual([]);
    expect(nextQuestions({ ...order, status: 'pending' })[0]).toEqual({
      type: 'imBack',
      title: 'Cancel it',
      value: 'Please cancel order #W4821001',
    });
  });
});
