import { containsCardNumber, redactDeep, redactedJson } from '../../../src/privacy';

/** An incoming message shaped like a Bot Framework Activity, with secrets at several depths. */
function activityWithSecrets() {
  return {
    type: 'message',
    id: 'activity-1',
    timestamp: new Date('2026-05-01T10:00:00Z'),
    channelId: 'webchat',
    from: { id: 'user-1', name: 'Yusuf Rossi' },
    conversation: { id: 'conversation-1' },
    text: 'My card is 4242 4242 4242 4242 exp 12/27 cvv 913',
    attachments: [{ contentType: 'text/plain', content: 'backup card 5555-5555-5555-4444' }],
    entities: [{ type: 'note', values: ['order #W2378156', 'cvc 1234', 42, true, null] }],
    channelData: {
      clientActivityId: 'abc-1',
      retries: 3,
      nested: { deeper: [['card 378282246310005']] },
    },
  };
}

describe('redactDeep', () => {
  it('redacts strings at every depth and keeps everything else', () => {
    const redacted = redactDeep(activityWithSecrets());

    expect(redacted).toEqual({
      ...activityWithSecrets(),
      text: 'My card is [card ending 4242] exp [expiry removed] cvv [security code removed]',
      attachments: [{ contentType: 'text/plain', content: 'backup card [card ending 4444]' }],
      entities: [
        {
          type: 'note',
          values: ['order #W2378156', 'cvc [security code removed]', 42, true, null],
        },
      ],
      channelData: {
        clientActivityId: 'abc-1',
        retries: 3,
        nested: { deeper: [['card [card ending 0005]']] },
      },
    });
    expect(containsCardNumber(JSON.stringify(redacted))).toBe(false);
  });

  it('does not change the input, not even its nested objects', () => {
    const input = activityWithSecrets();
    const before = structuredClone(input);

    const redacted = redactDeep(input);

    expect(input).toEqual(before);
    expect(redacted).not.toBe(input);
    expect(redacted.from).not.toBe(input.from);
    expect(redacted.attachments).not.toBe(input.attachments);
    expect(redacted.timestamp).not.toBe(input.timestamp);
    expect(redacted.timestamp.getTime()).toBe(input.timestamp.getTime());
  });

  it('redacts a plain string, and returns other primitives as they are', () => {
    expect(redactDeep('card 4242424242424242')).toBe('card [card ending 4242]');
    expect(redactDeep(12)).toBe(12);
    expect(redactDeep(undefined)).toBeUndefined();
    expect(redactDeep(null)).toBeNull();
  });

  it('turns a card number stored as a number into the card marker', () => {
    const redacted = redactDeep({
      card: 4242424242424242,
      big: 5555555555554444n,
      count: 1715512345678,
    });

    expect(redacted).toEqual({
      card: '[card ending 4242]',
      big: '[card ending 4444]',
      count: 1715512345678,
    });
  });

  it('copies maps, sets and errors with their text redacted, leaving the originals alone', () => {
    const cause = new Error('declined 4111111111111111');
    const error = Object.assign(new Error('payment with 4242424242424242 failed', { cause }), {
      code: 'cvv 321',
    });
    const input = {
      map: new Map([['card', '5555555555554444']]),
      set: new Set(['4242424242424242']),
      error,
    };

    const redacted = redactDeep(input);

    expect(redacted.map.get('card')).toBe('[card ending 4444]');
    expect([...redacted.set]).toEqual(['[card ending 4242]']);
    expect(redacted.error).toBeInstanceOf(Error);
    expect(redacted.error.message).toBe('payment with [card ending 4242] failed');
    expect(redacted.error.stack).not.toContain('4242424242424242');
    expect((redacted.error.cause as Error).message).toBe('declined [card ending 1111]');
    expect(redacted.error.code).toBe('cvv [security code removed]');
    expect(error.message).toBe('payment with 4242424242424242 failed');
    expect(input.map.get('card')).toBe('5555555555554444');
  });

  it('keeps shared and circular references in the same shape', () => {
    const shared = { note: 'card 4242424242424242' };
    const input: { first: object; second: object; self?: object } = {
      first: shared,
      second: shared,
    };
    input.self = input;

    const redacted = redactDeep(input);

    expect(redacted.first).toBe(redacted.second);
    expect(redacted.self).toBe(redacted);
    expect(redacted.first).toEqual({ note: 'card [card ending 4242]' });
  });

  it('keeps a JSON key named __proto__ as a field, not as a prototype', () => {
    const input = JSON.parse('{"__proto__": {"text": "card 4242424242424242"}}') as Record<
      string,
      unknown
    >;

    const redacted = redactDeep(input);

    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(redacted, '__proto__')?.value).toEqual({
      text: 'card [card ending 4242]',
    });
  });

  it('copies values nested deeper than the call stack would allow', () => {
    const depth = 20_000;
    const input: { next?: unknown; text: string } = { text: 'card 4242424242424242' };
    let innermost = input;
    for (let level = 0; level < depth; level += 1) {
      const next = { text: 'plain' };
      innermost.next = [next];
      innermost = next;
    }

    const redacted = redactDeep(input);

    expect(redacted.text).toBe('card [card ending 4242]');
    let levels = 0;
    for (let node: { next?: unknown } = redacted; node.next !== undefined; levels += 1) {
      node = (node.next as Array<{ next?: unknown }>)[0]!;
    }
    expect(levels).toBe(depth);
  });

  it('returns class instances it cannot copy as they are', () => {
    const url = new URL('https://example.com/a');
    const buffer = Buffer.from('4242424242424242');

    const redacted = redactDeep({ url, buffer });

    expect(redacted.url).toBe(url);
    expect(redacted.buffer).toBe(buffer);
  });
});

describe('redactedJson', () => {
  it('writes what the JSON round trip and redactDeep give, in one pass', () => {
    const input = {
      ...activityWithSecrets(),
      card: 4242424242424242,
      count: 1715512345678,
      missing: undefined,
      // A class instance with toJSON, as a card builder or a Date gives.
      expiry: { toJSON: () => 'card 4111 1111 1111 1111 exp 09/28' },
    };
    const before = JSON.stringify(input);

    const json = redactedJson(input);

    expect(JSON.parse(json)).toEqual(redactDeep(JSON.parse(JSON.stringify(input)) as unknown));
    expect(containsCardNumber(json)).toBe(false);
    expect(json).toContain(
      '"text":"My card is [card ending 4242] exp [expiry removed] cvv [security code removed]"',
    );
    expect(json).toContain('"card":"[card ending 4242]"');
    expect(json).toContain('"count":1715512345678');
    expect(json).toContain('"expiry":"card [card ending 1111] exp [expiry removed]"');
    expect(JSON.stringify(input)).toBe(before);
  });

  it('throws what JSON.stringify throws', () => {
    const cyclic: Record<string, unknown> = { text: 'hello' };
    cyclic.self = cyclic;

    expect(() => redactedJson(cyclic)).toThrow(TypeError);
    expect(() => redactedJson({ big: 1n })).toThrow(TypeError);
  });
});
