import { findCardNumbers } from './card-numbers';
import { cardNumberMarker, redactSensitiveText } from './redact-sensitive-text';

/**
 * A card number stored as a number (`{ card: 4242424242424242 }`) is caught too. Only integers of 13–16
 * digits can be one: a double holds integers exactly only up to 2^53, 16 digits.
 */
function redactNumber(value: number | bigint): number | bigint | string {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) return value;
  const digits = value.toString();
  if (digits.length < 13) return value;
  const [card] = findCardNumbers(digits);
  const whole = card !== undefined && card.start === 0 && card.end === digits.length;
  return whole ? cardNumberMarker(card.lastFour) : value;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Own fields as data properties, so a JSON key named `__proto__` stays a field instead of a prototype. */
function setField(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

/**
 * A copy of `value` with every string redacted by `redactString` ({@link redactSensitiveText} by default), at
 * any depth: plain objects,
 * arrays, `Map`s, `Set`s and `Error`s (message, stack, cause and own fields) are copied; numbers that are
 * whole card numbers become the card marker string. The input is never changed. Keys are kept as they are.
 * Dates are copied; other class instances (a `URL`, a `Buffer`, a stream) are returned as they are, because
 * a copy without their constructor would not work; put their text in a string field to have it redacted.
 * Shared and circular references keep their shape in the copy. Depth is not limited by the call stack: the
 * walk keeps its own list of containers still to fill.
 */
export function redactDeep<T>(
  value: T,
  redactString: (text: string) => string = (text) => redactSensitiveText(text).text,
): T {
  const copies = new Map<object, unknown>();
  const toFill: Array<() => void> = [];

  /** The copy of one value; a container comes back empty, registered, with its filling queued. */
  const copyOf = (item: unknown): unknown => {
    if (typeof item === 'string') return redactString(item);
    if (typeof item === 'number' || typeof item === 'bigint') return redactNumber(item);
    if (typeof item !== 'object' || item === null) return item;
    if (copies.has(item)) return copies.get(item);
    if (item instanceof Date) return new Date(item.getTime());
    if (Array.isArray(item)) {
      const source = item as unknown[];
      const array = new Array<unknown>(source.length);
      copies.set(item, array);
      toFill.push(() => source.forEach((element, index) => (array[index] = copyOf(element))));
      return array;
    }
    if (item instanceof Map) {
      const map = new Map<unknown, unknown>();
      copies.set(item, map);
      toFill.push(() =>
        (item as Map<unknown, unknown>).forEach((entry, key) => map.set(key, copyOf(entry))),
      );
      return map;
    }
    if (item instanceof Set) {
      const set = new Set<unknown>();
      copies.set(item, set);
      toFill.push(() => (item as Set<unknown>).forEach((entry) => set.add(copyOf(entry))));
      return set;
    }
    if (item instanceof Error) {
      const error = Object.create(Object.getPrototypeOf(item) as object | null) as Error;
      copies.set(item, error);
      // Every own field with its attributes: message and stack are own but not enumerable.
      toFill.push(() => {
        for (const key of Reflect.ownKeys(item)) {
          const descriptor = Object.getOwnPropertyDescriptor(item, key);
          if (descriptor === undefined) continue;
          if ('value' in descriptor) descriptor.value = copyOf(descriptor.value);
          Object.defineProperty(error, key, descriptor);
        }
      });
      return error;
    }
    if (!isPlainObject(item)) return item;
    const object = Object.create(Object.getPrototypeOf(item) as object | null) as object;
    copies.set(item, object);
    toFill.push(() => {
      for (const key of Object.keys(item)) setField(object, key, copyOf(item[key]));
    });
    return object;
  };

  const copy = copyOf(value);
  for (let fill = toFill.pop(); fill !== undefined; fill = toFill.pop()) fill();
  return copy as T;
}

/**
 * `JSON.stringify(value)` with every string redacted by {@link redactSensitiveText} and every number that is a
 * whole card number turned into the card marker, in the one pass that writes the JSON: what
 * `JSON.stringify(redactDeep(JSON.parse(JSON.stringify(value))))` gives, without the intermediate copies, for
 * records that are stored as JSON anyway (transcripts). Dates and other objects with `toJSON` are redacted as
 * the text they turn into; keys are kept as they are. Throws what `JSON.stringify` throws (a cycle, a BigInt).
 */
export function redactedJson(value: unknown): string {
  return JSON.stringify(value, (_key: string, item: unknown) => {
    if (typeof item === 'string') return redactSensitiveText(item).text;
    if (typeof item === 'number') return redactNumber(item);
    return item;
  });
}
