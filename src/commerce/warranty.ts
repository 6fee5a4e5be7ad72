import type { Order, Shipment, WarrantyTerms } from './types';

/** An item's warranty on a given day. */
export interface WarrantyStatus {
  /** `YYYY-MM-DD` (UTC) the item was delivered, or null when not delivered or unknown. */
  deliveredOn: string | null;
  /** The last covered day, `YYYY-MM-DD`, or null when it cannot be known yet. */
  coverageEnds: string | null;
  /** Null when unknown: no terms on file, not delivered yet, or the delivery date is missing. */
  inWarranty: boolean | null;
}

/**
 * Coverage starts on the delivery date and lasts whole calendar months (the warranty policy: "a blender
 * delivered on 10 March 2026 is covered until 10 March 2028"), through the end of that day. Days are UTC
 * dates, as carriers' delivery times are stored.
 */
export function assessWarranty(options: {
  terms: WarrantyTerms | null;
  deliveredAt: string | null;
  orderStatus: Order['status'];
  now: Date;
}): WarrantyStatus {
  const deliveredOn = options.deliveredAt === null ? null : options.deliveredAt.slice(0, 10);
  if (options.orderStatus === 'cancelled')
    return { deliveredOn, coverageEnds: null, inWarranty: false };
  if (options.terms === null || deliveredOn === null)
    return { deliveredOn, coverageEnds: null, inWarranty: null };
  const coverageEnds = addMonths(deliveredOn, options.terms.coverageMonths);
  return { deliveredOn, coverageEnds, inWarranty: toDateString(options.now) <= coverageEnds };
}

/** When each item of the order was delivered, from the carrier's record of its parcel. */
export function deliveryTimesByItem(shipments: readonly Shipment[]): Map<string, string> {
  const times = new Map<string, string>();
  for (const shipment of shipments) {
    if (shipment.deliveredAt === null) continue;
    for (const itemId of shipment.itemIds) {
      if (!times.has(itemId)) times.set(itemId, shipment.deliveredAt);
    }
  }
  return times;
}

/** `YYYY-MM-DD` plus whole months; a day past the end of the target month becomes its last day (31 Jan + 1 → 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  const targetMonthIndex = month - 1 + months;
  const targetYear = year + Math.floor(targetMonthIndex / 12);
  const targetMonth = ((targetMonthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return toDateString(new Date(Date.UTC(targetYear, targetMonth, Math.min(day, lastDay))));
}

/** The UTC calendar date of an instant, `YYYY-MM-DD`. */
export function toDateString(time: Date): string {
  return time.toISOString().slice(0, 10);
}
