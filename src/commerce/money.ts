import type { Cents } from './types';

/**
 * Floating-point noise a source may carry (τ-bench stores e.g. `0.04999999999999716`): an amount this close
 * to a whole number of cents is that number of cents; anything further away is a real fraction of a cent.
 */
const CENT_TOLERANCE = 1e-6;

/** Dollars to cents, or null when the amount is not finite or not a whole number of cents. */
export function dollarsToCents(dollars: number): Cents | null {
  if (!Number.isFinite(dollars)) return null;
  const scaled = dollars * 100;
  const cents = Math.round(scaled);
  return Math.abs(scaled - cents) <= CENT_TOLERANCE ? cents : null;
}

/** Cents to dollars as a JSON number, e.g. 4784 → 47.84 (the same double as parsing "47.84"). */
export function centsToDollars(cents: Cents): number {
  return cents / 100;
}

/** For people: `$1,234.56`, `-$16.63`. */
export function formatMoney(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  const dollars = Math.floor(absolute / 100).toLocaleString('en-US');
  const rest = String(absolute % 100).padStart(2, '0');
  return `${sign}$${dollars}.${rest}`;
}
