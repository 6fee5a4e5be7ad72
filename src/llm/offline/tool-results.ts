import { z } from 'zod';

/**
 * The JSON the order tools answer with (τ-bench's shapes plus the project's own tools), parsed leniently: the
 * offline model reads only the fields it words answers from, and anything that does not parse is treated as
 * "no data" (an old result may also have been shortened by the history budget), never guessed at.
 */

const StringRecord = z.record(z.string(), z.string());

export const OrderAddress = z.object({
  address1: z.string(),
  address2: z.string().default(''),
  city: z.string(),
  state: z.string(),
  country: z.string().default('USA'),
  zip: z.string(),
});
export type OrderAddress = z.infer<typeof OrderAddress>;

export const OrderItem = z.object({
  name: z.string(),
  product_id: z.string(),
  item_id: z.string(),
  price: z.number(),
  options: StringRecord.default({}),
});
export type OrderItem = z.infer<typeof OrderItem>;

export const OrderDetails = z.object({
  order_id: z.string(),
  user_id: z.string().optional(),
  address: OrderAddress.optional(),
  items: z.array(OrderItem),
  fulfillments: z
    .array(
      z.object({
        tracking_id: z.array(z.string()).default([]),
        item_ids: z.array(z.string()).default([]),
      }),
    )
    .default([]),
  status: z.string(),
  payment_history: z
    .array(
      z.object({ transaction_type: z.string(), amount: z.number(), payment_method_id: z.string() }),
    )
    .default([]),
  placed_at: z.string().nullable().optional(),
});
export type OrderDetails = z.infer<typeof OrderDetails>;

export const PaymentMethodDetails = z.object({
  source: z.string(),
  id: z.string(),
  brand: z.string().optional(),
  last_four: z.string().optional(),
  balance: z.number().optional(),
});
export type PaymentMethodDetails = z.infer<typeof PaymentMethodDetails>;

export const UserDetails = z.object({
  name: z.object({ first_name: z.string(), last_name: z.string() }),
  address: OrderAddress.optional(),
  email: z.string().optional(),
  payment_methods: z.record(z.string(), PaymentMethodDetails).default({}),
  orders: z.array(z.string()).default([]),
});
export type UserDetails = z.infer<typeof UserDetails>;

export const ProductVariant = z.object({
  item_id: z.string(),
  options: StringRecord.default({}),
  available: z.boolean(),
  price: z.number(),
});
export type ProductVariant = z.infer<typeof ProductVariant>;

export const ProductDetails = z.object({
  name: z.string(),
  product_id: z.string(),
  variants: z.record(z.string(), ProductVariant),
});
export type ProductDetails = z.infer<typeof ProductDetails>;

export const ShipmentEvent = z.object({
  time: z.string(),
  location: z.string().default(''),
  description: z.string(),
});

export const ShipmentDetails = z.object({
  tracking_id: z.string(),
  /** Null when only the tracking number is on file (τ-bench data has no carriers). */
  carrier: z.string().nullable().default(null),
  item_ids: z.array(z.string()).default([]),
  status: z.string(),
  estimated_delivery: z.string().nullable().default(null),
  delivered_at: z.string().nullable().default(null),
  events: z.array(ShipmentEvent).default([]),
});
export type ShipmentDetails = z.infer<typeof ShipmentDetails>;

export const TrackingReport = z.object({
  order_id: z.string(),
  status: z.string().optional(),
  shipments: z.array(ShipmentDetails).default([]),
  note: z.string().optional(),
});
export type TrackingReport = z.infer<typeof TrackingReport>;

export const WarrantyItem = z.object({
  item_id: z.string(),
  name: z.string(),
  purchased_at: z.string().nullable().default(null),
  delivered_at: z.string().nullable().default(null),
  coverage_months: z.number().nullable().default(null),
  coverage_ends: z.string().nullable().default(null),
  in_warranty: z.boolean().nullable().default(null),
  terms: z.string().nullable().default(null),
});
export type WarrantyItem = z.infer<typeof WarrantyItem>;

export const WarrantyReport = z.object({
  order_id: z.string(),
  items: z.array(WarrantyItem),
  /** Why some answers are unknown, when they are. */
  note: z.string().optional(),
});
export type WarrantyReport = z.infer<typeof WarrantyReport>;

export const PolicyPassage = z.object({
  document: z.string(),
  title: z.string(),
  section: z.string(),
  text: z.string(),
  score: z.number().optional(),
});
export type PolicyPassage = z.infer<typeof PolicyPassage>;

export const PolicySearchResult = z.object({
  results: z.array(PolicyPassage),
  note: z.string().optional(),
});
export type PolicySearchResult = z.infer<typeof PolicySearchResult>;

/** True for a tool result that reports a failure, τ-bench style ("Error: order not found"). */
/** `create_profile_avatar`'s result, as far as the answer uses it. */
export const AvatarResult = z.object({
  description: z.string(),
  saved_to: z.string(),
  avatars_left_today: z.number(),
  note: z.string().optional(),
});
export type AvatarResult = z.infer<typeof AvatarResult>;

export function isErrorResult(content: string): boolean {
  return /^\s*error\b/iu.test(content);
}

/** The failure's text without its "Error:" prefix. */
export function errorText(content: string): string {
  return content.replace(/^\s*error\s*:?\s*/iu, '').trim();
}

/** The tool's JSON parsed with `schema`, or null when it is an error, not JSON, or another shape. */
export function parseResult<Schema extends z.ZodType>(
  schema: Schema,
  content: string,
): z.infer<Schema> | null {
  if (isErrorResult(content)) return null;
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
