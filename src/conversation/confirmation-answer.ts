import { recognizeBoolean } from '@microsoft/recognizers-text-choice';

export type ConfirmationDecision = 'yes' | 'no' | 'unclear';

/** Plain consents the recognizer does not know, and the phone's "press 1 for yes, 2 for no". */
const EXTRA_YES = new Set([
  '1',
  'go ahead',
  'confirm',
  'confirmed',
  'i confirm',
  'do it',
  'please do',
  'proceed',
]);
const EXTRA_NO = new Set(['2', 'cancel that', "don't", 'do not', 'stop']);

/**
 * Reads a typed or spoken answer to "shall I make this change?". Only a short, plain yes counts: "yes but make
 * it the blue one" is not consent to the change on the table, so it is `unclear` and the change is dropped.
 * The recognizer is the one botbuilder-dialogs' ConfirmPrompt uses, without the dialog stack around it.
 */
export function readConfirmationAnswer(text: string, culture = 'en-us'): ConfirmationDecision {
  const normalized = text
    .trim()
    .toLowerCase()
    .replace(/[.!?]+$/u, '');
  if (normalized === '') return 'unclear';
  if (EXTRA_YES.has(normalized)) return 'yes';
  if (EXTRA_NO.has(normalized)) return 'no';
  const words = normalized.split(/\s+/u);
  const results = recognizeBoolean(normalized, culture);
  const values = new Set(results.map((result) => (result.resolution as { value: boolean }).value));
  if (values.size !== 1) return 'unclear';
  const [value] = values;
  if (value === false) return words.length <= 6 ? 'no' : 'unclear';
  if (
    words.length > 5 ||
    /\b(but|except|instead|change|different|only|not|n't)\b/u.test(normalized)
  ) {
    return 'unclear';
  }
  return 'yes';
}
