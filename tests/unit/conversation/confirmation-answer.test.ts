import { readConfirmationAnswer } from '../../../src/conversation/confirmation-answer';

describe('readConfirmationAnswer', () => {
  it.each([
    'yes',
    'Yes please!',
    'yep',
    'sure, go ahead',
    'ok',
    'go ahead',
    'confirm',
    'do it',
    '1',
  ])('returns yes for the plain consent "%s"', (text) =>
    expect(readConfirmationAnswer(text)).toBe('yes'),
  );

  it.each(['no', 'nope', 'no thanks', 'no, wait', '2', "don't"])('returns no for "%s"', (text) =>
    expect(readConfirmationAnswer(text)).toBe('no'),
  );

  it.each([
    'yes but make it the blue one',
    'yes, but cancel the other order instead',
    'what?',
    'please cancel it',
    '',
    'yes I would like you to please go and change the address too',
  ])('returns unclear for "%s", which is not consent to the change on the table', (text) =>
    expect(readConfirmationAnswer(text)).toBe('unclear'),
  );
});
