import { z } from 'zod';
import type { Order, Shipment, ShipmentStatus } from '../../commerce/types';
import { defineTool, type AnyToolDefinition } from '../define-tool';
import { loadOwnOrder, OrderId, type OrderToolDependencies } from './order-tool-support';

export const TrackShipmentInput = z.object({ order_id: OrderId });
export type TrackShipmentInput = z.infer<typeof TrackShipmentInput>;

/** One parcel as the model reads it. */
export interface ShipmentView {
  tracking_id: string;
  /** Null when only the tracking number is on file (τ-bench data has no carriers). */
  carrier: string | null;
  item_ids: string[];
  status: ShipmentStatus;
  /** `YYYY-MM-DD`. */
  estimated_delivery: string | null;
  /** ISO 8601. */
  delivered_at: string | null;
  events: { time: string; location: string; description: string }[];
}

export interface TrackShipmentOutput {
  order_id: string;
  status: Order['status'];
  shipments: ShipmentView[];
  /** Says why there is nothing (more) to show, so the model does not guess. */
  note?: string;
}

const NOT_SHIPPED_NOTE = 'Not shipped yet: tracking appears once the order is processed.';
const CANCELLED_NOTE = 'The order was cancelled before shipping, so there is nothing to track.';
const NO_TRACKING_NOTE = 'No tracking number is on file for this order yet.';
const NO_CARRIER_DETAIL_NOTE =
  'Only tracking numbers are on file for some parcels: no carrier events are available for them.';

/** `track_shipment`: the carrier's view of each parcel of one of the verified customer's orders. */
export function createTrackShipmentTool({ store }: OrderToolDependencies): AnyToolDefinition {
  return defineTool({
    name: 'track_shipment',
    description: "Track an order's parcels: carrier, status, estimated delivery, latest events.",
    kind: 'read',
    input: TrackShipmentInput,
    execute: async ({ order_id }, context): Promise<TrackShipmentOutput> => {
      const order = await loadOwnOrder({ store, context, orderId: order_id });
      const base = { order_id: order.id, status: order.status };
      if (order.status === 'cancelled') return { ...base, shipments: [], note: CANCELLED_NOTE };
      const shipments = shipmentViews(order, await store.getOrderShipments(order.id));
      if (shipments.length === 0) {
        const pending = order.status === 'pending' || order.status === 'pending (item modified)';
        return { ...base, shipments, note: pending ? NOT_SHIPPED_NOTE : NO_TRACKING_NOTE };
      }
      const partial = shipments.some((shipment) => shipment.carrier === null);
      return partial
        ? { ...base, shipments, note: NO_CARRIER_DETAIL_NOTE }
        : { ...base, shipments };
    },
  });
}

/**
 * The carrier's records, plus a bare entry for any tracking number the order lists without one, whose status
 * follows from the order's: it was handed to the carrier, and it arrived once the order is delivered.
 */
function shipmentViews(order: Order, shipments: readonly Shipment[]): ShipmentView[] {
  const views: ShipmentView[] = shipments.map((shipment) => ({
    tracking_id: shipment.trackingId,
    carrier: shipment.carrier,
    item_ids: [...shipment.itemIds],
    status: shipment.status,
    estimated_delivery: shipment.estimatedDelivery,
    delivered_at: shipment.deliveredAt,
    events: shipment.events.map((event) => ({ ...event })),
  }));
  const known = new Set(shipments.map((shipment) => shipment.trackingId));
  const delivered =
    order.status !== 'processed' &&
    order.status !== 'pending' &&
    order.status !== 'pending (item modified)';
  for (const fulfillment of order.fulfillments) {
    for (const trackingId of fulfillment.trackingIds) {
      if (known.has(trackingId)) continue;
      known.add(trackingId);
      views.push({
        tracking_id: trackingId,
        carrier: null,
        item_ids: [...fulfillment.itemIds],
        status: delivered ? 'delivered' : 'in_transit',
        estimated_delivery: null,
        delivered_at: null,
        events: [],
      });
    }
  }
  return views;
}
