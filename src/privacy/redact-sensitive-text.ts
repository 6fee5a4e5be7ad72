import {
  EXPIRY_NEAR_CARD_CHARACTERS,
  findDetailsAfterCard,
  findLabelledExpiries,
  findLabelledSecurityCodes,
  type CardDetailSpan,
} from './card-details';
import { assertText, findCardNumbers, type CardNumberMatch } from './card-numbers';
import { ANY_DIGIT } from './text-patterns';

/** What a redaction removed. */
export type RedactionKind = 'card_number' | 'security_code' | 'expiry';

/** One removed span, as UTF-16 offsets into the text that was given (not the redacted one), `end` exclusive. */
export interface Redaction {
  readonly kind: RedactionKind;
  readonly start: number;
  readonly end: number;
}

/** A text with its secrets replaced by markers, and what was replaced. */
export interface RedactedText {
  readonly text: string;
  readonly redactions: readonly Redaction[];
  readonly cardsFound: number;
}

/** The marker a card number becomes; the last four digits are what customers and agents recognise a card by. */
export function cardNumberMarker(lastFour: string): string {
  return `[card ending ${lastFour}]`;
}

/** The markers of the other kinds. None contains digits, so redacting a redacted text finds nothing new. */
export const EXPIRY_MARKER = '[expiry removed]';
export const SECURITY_CODE_MARKER = '[security code removed]';

function distance(
  first: { start: number; end: number },
  second: { start: number; end: number },
): number {
  return Math.max(0, first.start - second.end, second.start - first.end);
}

function cardDetails(text: string, cards: readonly CardNumberMatch[]): CardDetailSpan[] {
  const details = findLabelledSecurityCodes(text);
  if (cards.length === 0) return details;
  cards.forEach((card, index) => {
    const stopAt = cards[index + 1]?.start ?? text.length;
    details.push(...findDetailsAfterCard(text, card.end, stopAt));
  });
  const nearExpiries = findLabelledExpiries(text).filter((expiry) =>
    cards.some((card) => distance(card, expiry) <= EXPIRY_NEAR_CARD_CHARACTERS),
  );
  return [...details, ...nearExpiries];
}

interface MarkedSpan extends Redaction {
  readonly marker: string;
}

/** Cards first, then details that overlap nothing already kept (the same value can be found twice). */
function nonOverlapping(
  cards: readonly CardNumberMatch[],
  details: readonly CardDetailSpan[],
): MarkedSpan[] {
  const kept: MarkedSpan[] = cards.map((card) => ({
    kind: 'card_number',
    start: card.start,
    end: card.end,
    marker: cardNumberMarker(card.lastFour),
  }));
  for (const detail of details) {
    if (kept.some((span) => span.start < detail.end && detail.start < span.end)) continue;
    const marker = detail.kind === 'expiry' ? EXPIRY_MARKER : SECURITY_CODE_MARKER;
    kept.push({ kind: detail.kind, start: detail.start, end: detail.end, marker });
  }
  return kept.sort((first, second) => first.start - second.start);
}

/**
 * Replaces card numbers with `[card ending 4242]`, and removes the security codes and expiry dates that go
 * with them: an expiry or unlabelled code written right after a card number, a labelled expiry within
 * {@link EXPIRY_NEAR_CARD_CHARACTERS} characters of one, and every labelled security code ("cvv 123") even with
 * no card in the text, since a security code is a secret on its own. An expiry date with no card near it is
 * kept. Redacting an already-redacted text changes nothing.
 *
 * @throws TypeError when `text` is not a string.
 */
export function redactSensitiveText(text: string): RedactedText {
  assertText(text, 'redactSensitiveText');
  // Every secret this module removes contains digits: most messages stop here.
  if (!ANY_DIGIT.test(text)) return { text, redactions: [], cardsFound: 0 };
  const cards = findCardNumbers(text);
  const spans = nonOverlapping(cards, cardDetails(text, cards));
  if (spans.length === 0) return { text, redactions: [], cardsFound: 0 };
  let redacted = '';
  let cursor = 0;
  for (const span of spans) {
    redacted += text.slice(cursor, span.start) + span.marker;
    cursor = span.end;
  }
  redacted += text.slice(cursor);
  return {
    text: redacted,
    redactions: spans.map(({ kind, start, end }) => ({ kind, start, end })),
    cardsFound: cards.length,
  };
}
