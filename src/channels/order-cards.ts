import { CardFactory, type Attachment, type CardAction } from 'botbuilder';
import { z } from 'zod';

/**
 * Adaptive Cards for what a customer asked about: an order's summary, and a shipment's timeline. They read
 * the tool results the turn produced (the shapes `get_order_details` and `track_shipment` return), checked
 * here with the few fields a card needs, so a result of another shape simply makes no card.
 */

const OrderCardData = z.object({
  order_id: z.string(),
  status: z.string(),
  placed_at: z.string().optional(),
  items: z.array(
    z.object({
      name: z.string(),
      price: z.number(),
      options: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  address: z
    .object({
      address1: z.string(),
      address2: z.string().optional(),
      city: z.string(),
      state: z.string(),
      zip: z.string(),
    })
    .optional(),
  fulfillments: z.array(z.object({ tracking_id: z.array(z.string()) })).optional(),
});
type OrderCardData = z.infer<typeof OrderCardData>;

const ShipmentCardData = z.object({
  order_id: z.string(),
  status: z.string(),
  note: z.string().optional(),
  shipments: z.array(
    z.object({
      tracking_id: z.string(),
      carrier: z.string().nullable(),
      status: z.string(),
      estimated_delivery: z.string().nullable(),
      delivered_at: z.string().nullable(),
      events: z.array(
        z.object({ time: z.string(), location: z.string(), description: z.string() }),
      ),
    }),
  ),
});
type ShipmentCardData = z.infer<typeof ShipmentCardData>;

/** Events shown per parcel, newest first: a timeline, not a log. */
const EVENTS_SHOWN = 5;
const CARD_VERSION = '1.5';

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const day = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });
const moment = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** The order id a tool result is about, when it has the shape of an order or a tracking result. */
export function orderIdOf(data: Readonly<Record<string, unknown>>): string | null {
  return typeof data.order_id === 'string' ? data.order_id : null;
}

export function orderCard(data: Readonly<Record<string, unknown>>): Attachment | null {
  const parsed = OrderCardData.safeParse(data);
  if (!parsed.success) return null;
  const order = parsed.data;
  const total = order.items.reduce((sum, item) => sum + Math.round(item.price * 100), 0) / 100;
  const tracking = (order.fulfillments ?? []).flatMap((fulfillment) => fulfillment.tracking_id);
  const facts = [
    ...(order.address === undefined
      ? []
      : [{ title: 'Ship to', value: addressLine(order.address) }]),
    ...(tracking.length === 0 ? [] : [{ title: 'Tracking', value: tracking.join(', ') }]),
  ];
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    version: CARD_VERSION,
    speak: `Order ${order.order_id} is ${statusLabel(order.status).toLowerCase()}: ${order.items.length} ${
      order.items.length === 1 ? 'item' : 'items'
    }, ${money.format(total)} in all.`,
    body: [
      header(
        `Order ${order.order_id}`,
        order.placed_at === undefined ? null : `Placed ${formatDay(order.placed_at)}`,
        order.status,
      ),
      {
        type: 'Container',
        separator: true,
        spacing: 'Medium',
        items: order.items.map((item) => ({
          type: 'ColumnSet',
          columns: [
            {
              type: 'Column',
              width: 'stretch',
              items: [
                { type: 'TextBlock', text: item.name, wrap: true },
                ...(optionsLine(item.options) === ''
                  ? []
                  : [
                      {
                        type: 'TextBlock',
                        text: optionsLine(item.options),
                        isSubtle: true,
                        size: 'Small',
                        spacing: 'None',
                        wrap: true,
                      },
                    ]),
              ],
            },
            {
              type: 'Column',
              width: 'auto',
              items: [{ type: 'TextBlock', text: money.format(item.price) }],
            },
          ],
        })),
      },
      {
        type: 'ColumnSet',
        separator: true,
        columns: [
          {
            type: 'Column',
            width: 'stretch',
            items: [{ type: 'TextBlock', text: 'Total', weight: 'Bolder' }],
          },
          {
            type: 'Column',
            width: 'auto',
            items: [{ type: 'TextBlock', text: money.format(total), weight: 'Bolder' }],
          },
        ],
      },
      ...(facts.length === 0 ? [] : [{ type: 'FactSet', facts }]),
    ],
  });
}

export function shipmentCard(data: Readonly<Record<string, unknown>>): Attachment | null {
  const parsed = ShipmentCardData.safeParse(data);
  if (!parsed.success || parsed.data.shipments.length === 0) return null;
  const tracking: ShipmentCardData = parsed.data;
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    version: CARD_VERSION,
    speak: tracking.shipments.map(parcelSummary).join(' '),
    body: [
      header(`Delivery of ${tracking.order_id}`, null, tracking.status),
      ...tracking.shipments.map((parcel) => ({
        type: 'Container',
        separator: true,
        spacing: 'Medium',
        items: [
          {
            type: 'TextBlock',
            text: `${parcel.carrier ?? 'Parcel'} ${parcel.tracking_id}`,
            weight: 'Bolder',
            wrap: true,
          },
          { type: 'TextBlock', text: parcelSummary(parcel), spacing: 'None', wrap: true },
          ...[...parcel.events]
            .sort((a, b) => b.time.localeCompare(a.time))
            .slice(0, EVENTS_SHOWN)
            .map((event, index) => ({
              type: 'ColumnSet',
              spacing: index === 0 ? 'Medium' : 'Small',
              columns: [
                {
                  type: 'Column',
                  width: 'auto',
                  items: [
                    {
                      type: 'TextBlock',
                      text: formatMoment(event.time),
                      isSubtle: true,
                      size: 'Small',
                    },
                  ],
                },
                {
                  type: 'Column',
                  width: 'stretch',
                  items: [
                    {
                      type: 'TextBlock',
                      text: event.description,
                      size: 'Small',
                      wrap: true,
                      weight: index === 0 ? 'Bolder' : 'Default',
                    },
                    {
                      type: 'TextBlock',
                      text: event.location,
                      size: 'Small',
                      isSubtle: true,
                      spacing: 'None',
                      wrap: true,
                    },
                  ],
                },
              ],
            })),
        ],
      })),
    ],
  });
}

/**
 * Questions a customer is likely to ask next about an order, as buttons that send the question. They depend on
 * what can still happen to the order; the assistant checks the rules again when one is pressed.
 */
export function nextQuestions(data: Readonly<Record<string, unknown>>): CardAction[] {
  const orderId = orderIdOf(data);
  const status = typeof data.status === 'string' ? data.status : null;
  if (orderId === null || status === null) return [];
  const ask = (title: string, value: string): CardAction => ({ type: 'imBack', title, value });
  if (status.startsWith('pending')) {
    return [
      ask('Cancel it', `Please cancel order ${orderId}`),
      ask('Change the address', `I want to change the shipping address of order ${orderId}`),
    ];
  }
  if (status === 'processed') return [ask('Where is it?', `Where is order ${orderId}?`)];
  if (status === 'delivered') {
    return [
      ask('Return an item', `I want to return an item from order ${orderId}`),
      ask('Warranty?', `Is order ${orderId} still under warranty?`),
    ];
  }
  return [];
}

function header(title: string, subtitle: string | null, status: string) {
  return {
    type: 'ColumnSet',
    columns: [
      {
        type: 'Column',
        width: 'stretch',
        items: [
          { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true },
          ...(subtitle === null
            ? []
            : [{ type: 'TextBlock', text: subtitle, isSubtle: true, spacing: 'None', wrap: true }]),
        ],
      },
      {
        type: 'Column',
        width: 'auto',
        verticalContentAlignment: 'Center',
        items: [
          {
            type: 'TextBlock',
            text: statusLabel(status),
            weight: 'Bolder',
            color: statusColor(status),
          },
        ],
      },
    ],
  };
}

function statusLabel(status: string): string {
  const labels: Record<string, string> = {
    pending: 'Pending',
    'pending (item modified)': 'Pending (items changed)',
    processed: 'Shipped',
    delivered: 'Delivered',
    cancelled: 'Cancelled',
    'return requested': 'Return requested',
    'exchange requested': 'Exchange requested',
    in_transit: 'In transit',
    out_for_delivery: 'Out for delivery',
    label_created: 'Label created',
    exception: 'Delivery problem',
  };
  return labels[status] ?? status.charAt(0).toUpperCase() + status.slice(1).replaceAll('_', ' ');
}

function statusColor(status: string): string {
  if (status === 'delivered') return 'Good';
  if (status === 'cancelled' || status === 'exception') return 'Attention';
  if (status.startsWith('pending') || status.endsWith('requested')) return 'Warning';
  return 'Accent';
}

function parcelSummary(parcel: ShipmentCardData['shipments'][number]): string {
  if (parcel.delivered_at !== null) return `Delivered ${formatMoment(parcel.delivered_at)}.`;
  const expected =
    parcel.estimated_delivery === null ? '' : `, expected ${formatDay(parcel.estimated_delivery)}`;
  return `${statusLabel(parcel.status)}${expected}.`;
}

function addressLine(address: NonNullable<OrderCardData['address']>): string {
  return [address.address1, address.address2, `${address.city}, ${address.state} ${address.zip}`]
    .filter((part) => part !== undefined && part !== '')
    .join(', ');
}

function optionsLine(options: Record<string, unknown> | undefined): string {
  return Object.values(options ?? {})
    .filter(
      (value): value is string | number => typeof value === 'string' || typeof value === 'number',
    )
    .join(' · ');
}

function formatDay(value: string): string {
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? value : day.format(date);
}

function formatMoment(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : `${moment.format(date)} UTC`;
}
