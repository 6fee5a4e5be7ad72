/**
 * The numbers the built-in policy documents promise customers, for code that must keep the same promises
 * (the warranty check, refund messages, the offline model's answers). Tests read the documents and fail
 * when a document and these constants disagree. A company that replaces the documents with its own
 * (`POLICY_DOCUMENTS_DIR`) must review these too.
 */

/** Days from the delivery date during which a delivered item can be returned (returns-and-refunds). */
export const RETURN_WINDOW_DAYS = 30;

/** Business days for a refund to reach a credit card, debit card or PayPal; gift-card refunds are immediate. */
export const CARD_REFUND_BUSINESS_DAYS = { min: 5, max: 7 } as const;

/** Warranty categories, as the warranty document's coverage table names them. */
export const WARRANTY_CATEGORIES = {
  everyday_goods: { label: 'Everyday goods', months: 12 },
  electronics_and_appliances: { label: 'Electronics and appliances', months: 24 },
  furniture_and_large_items: { label: 'Furniture and large items', months: 36 },
} as const;

export type WarrantyCategory = keyof typeof WARRANTY_CATEGORIES;

/** Months of standard warranty per category, counted from the delivery date. */
export const WARRANTY_MONTHS_BY_CATEGORY: Readonly<Record<WarrantyCategory, number>> = {
  everyday_goods: WARRANTY_CATEGORIES.everyday_goods.months,
  electronics_and_appliances: WARRANTY_CATEGORIES.electronics_and_appliances.months,
  furniture_and_large_items: WARRANTY_CATEGORIES.furniture_and_large_items.months,
};

/** The only reasons a pending order can be cancelled for, worded as the order tools accept them. */
export const CANCELLATION_REASONS = ['no longer needed', 'ordered by mistake'] as const;

/** Days conversation transcripts are kept before deletion (privacy-and-verification). */
export const TRANSCRIPT_RETENTION_DAYS = 90;

/** Days after delivery within which a parcel that arrived damaged must be reported (shipping-and-delivery). */
export const DAMAGED_PARCEL_REPORT_DAYS = 7;
