/**
 * Words a customer uses to ask, answer or identify themselves in an after-sales chat, none of which can carry a
 * feeling on its own: pronouns and little words, the nouns and verbs of orders, payments and deliveries, and
 * plain answers. Deliberately left out, however common: negations ("not", "don't", "hasn't"), the words of a
 * complaint that drags on ("still", "again", "already", "yet", "why", "long", "ago", "just", "even", "now"),
 * thanks and praise (they are the satisfied mood), and anything judging ("wrong", "better", "fine").
 */
const PLAIN_WORDS: ReadonlySet<string> = new Set(
  `
  i me my mine we us our you your it its this that these those the a an all any some each both other another one
  to of for on in at from with by about into and or if as also instead there here
  is are was were am be been do does did can could would will shall should may might
  have has had get got see check know tell show give send ship shipped arrive arrives arriving arrived deliver
  delivered track change update cancel return returned exchange pay paid use used buy bought ordered purchase
  purchased want like need find look confirm go ahead take make add remove keep apply ask help
  what what's where where's when when's which how who i'd i'm i'll i've it's that's there's here's
  yes yeah yep no ok okay sure correct please hi hello hey
  order orders package packages parcel shipment shipments delivery tracking status item items product products
  refund refunds refunded returns exchanges warranty warranties payment payments card cards gift method methods
  address shipping invoice receipt balance price cost policy policies detail details account email e-mail zip
  postal code name number phone street city date estimated carrier store
  last first next latest recent current today tomorrow
  `
    .split(/\s+/u)
    .filter((word) => word !== ''),
);

/** More words than a plain request needs: a longer message tells more, and the model should read it. */
const PLAIN_WORDS_MAX = 16;

/** Characters a plain request is written with; anything else (an emoji, "!", quotes, "…") may say something. */
const PLAIN_CHARACTERS = /^[\p{L}\p{N}\s#@.,'’?:;/()+_-]*$/u;

/** Ids, numbers and the like: order numbers, zip codes, house numbers, amounts. */
const IDENTIFIER = /^[#\p{L}]*\p{N}[\p{L}\p{N}#/-]*$/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;

/**
 * Whether a customer message is a plain request: short, made only of {@link PLAIN_WORDS}, ids, numbers and
 * email addresses, written in ordinary case with at most one question mark and no exclamation. "Where is my
 * order #W4821001?", "yes", "my email is … and my zip is 80211" are; "why is my order still pending?", "wtf,
 * where is my order", "WHERE IS MY ORDER", "Where is my refund???" are not.
 *
 * A mood judge that reads one message alone can find nothing but neutral in such a message, so asking a model
 * about it is a call for nothing: see `ModelMoodJudge`. Checked against every hand-labelled message of the mood
 * corpus (tests/unit/conversation): none it calls plain is labelled anything but neutral.
 */
export function isPlainRequest(text: string): boolean {
  if (!PLAIN_CHARACTERS.test(text)) return false;
  if ((text.match(/\?/gu)?.length ?? 0) > 1) return false;
  const tokens = text
    .split(/[\s,;:()]+/u)
    .map((token) => token.replace(/^[.?'’]+|[.?'’]+$/gu, ''))
    .filter((token) => token !== '');
  if (tokens.length === 0 || tokens.length > PLAIN_WORDS_MAX) return false;
  return tokens.every(isPlainToken);
}

function isPlainToken(token: string): boolean {
  if (IDENTIFIER.test(token) || EMAIL.test(token)) return true;
  // Two capitals or more in a word is shouting, or a name the list does not know.
  if ((token.match(/\p{Lu}/gu)?.length ?? 0) > 1) return false;
  return PLAIN_WORDS.has(token.toLowerCase().replace(/’/gu, "'"));
}
