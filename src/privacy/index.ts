/**
 * privacy/: finds payment card numbers, and the security codes and expiry dates written beside them, in
 * customer text, and redacts them before the text reaches the model, the logs, stored history or
 * transcripts. Pure functions with no framework and no other module of ours; see README.md for the rules.
 */
export {
  CARD_ISSUERS,
  identifyCardIssuer,
  isLuhnValid,
  type CardBrand,
  type CardIssuer,
} from './card-issuers';
export { containsCardNumber, findCardNumbers, type CardNumberMatch } from './card-numbers';
export { EXPIRY_NEAR_CARD_CHARACTERS } from './card-details';
export {
  EXPIRY_MARKER,
  SECURITY_CODE_MARKER,
  cardNumberMarker,
  redactSensitiveText,
  type RedactedText,
  type Redaction,
  type RedactionKind,
} from './redact-sensitive-text';
export { redactDeep, redactedJson } from './redact-deep';
export { redactForLog, redactTextForLog } from './redact-for-log';
