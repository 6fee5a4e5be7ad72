import { redactDeep } from './redact-deep';
import { redactSensitiveText } from './redact-sensitive-text';

/**
 * An email address anywhere in text. Deliberately broad: in a log line, masking something that only looks like
 * an address costs nothing, while a missed one is personal data in a log.
 */
const EMAIL_ADDRESS = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;

/**
 * Log text with card numbers (and a security code or expiry beside one) redacted, and email addresses masked to
 * their first letter and domain (`o***@example.com`): enough to tell customers apart in an investigation,
 * not enough to identify one. Customers' emails are kept in conversation text, where verification needs them;
 * this is for logs only.
 */
export function redactTextForLog(text: string): string {
  const withoutCards = redactSensitiveText(text).text;
  return withoutCards.replace(
    EMAIL_ADDRESS,
    (_match, first: string, domain: string) => `${first}***@${domain}`,
  );
}

/** A copy of a log record (any shape, errors included) with every string passed through {@link redactTextForLog}. */
export function redactForLog<T>(value: T): T {
  return redactDeep(value, redactTextForLog);
}
