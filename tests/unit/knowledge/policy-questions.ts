/**
 * Customers' questions, as a model would pass them to search_policies (whole questions and keyword forms),
 * each with the passages that answer it ("document › section"). Written from the documents by hand; used to
 * measure the search, not to tune it question by question.
 */
export interface LabelledQuestion {
  query: string;
  /** Any of these at the top answers the question. */
  answers: string[];
}

export const POLICY_QUESTIONS: readonly LabelledQuestion[] = [
  // returns and refunds
  {
    query: 'how many days do I have to return something',
    answers: ['returns-and-refunds › Return window'],
  },
  { query: 'return window days', answers: ['returns-and-refunds › Return window'] },
  {
    query: 'can I return a laptop after 45 days',
    answers: ['returns-and-refunds › Return window', 'warranty › Warranty or return?'],
  },
  { query: 'can I return opened perfume', answers: ['returns-and-refunds › What can be returned'] },
  { query: 'is there a restocking fee', answers: ['returns-and-refunds › How to start a return'] },
  { query: 'return shipping label cost', answers: ['returns-and-refunds › How to start a return'] },
  {
    query: 'exchange shoes for a different size',
    answers: [
      'returns-and-refunds › Exchanges',
      'cancellations-and-order-changes › Changing items',
    ],
  },
  { query: 'exchange for a different color', answers: ['returns-and-refunds › Exchanges'] },
  {
    query: 'can I get the refund on a different card',
    answers: [
      'returns-and-refunds › Where the refund goes',
      'payments-and-gift-cards › Where refunds go',
    ],
  },
  {
    query: 'when will my refund arrive',
    answers: [
      'returns-and-refunds › How long a refund takes',
      'payments-and-gift-cards › How long refunds take',
    ],
  },
  {
    query: 'how long do refunds take to my credit card',
    answers: [
      'payments-and-gift-cards › How long refunds take',
      'returns-and-refunds › How long a refund takes',
    ],
  },
  {
    query: 'refund paypal business days',
    answers: [
      'payments-and-gift-cards › How long refunds take',
      'returns-and-refunds › How long a refund takes',
    ],
  },
  // cancellations and changes
  {
    query: 'can I cancel an order that has shipped',
    answers: ['cancellations-and-order-changes › Orders that have shipped'],
  },
  {
    query: 'cancel order reasons',
    answers: ['cancellations-and-order-changes › Cancelling a pending order'],
  },
  {
    query: 'cancel just one item from my order',
    answers: ['cancellations-and-order-changes › Cancelling a pending order'],
  },
  {
    query: 'change the shipping address of my order',
    answers: [
      'cancellations-and-order-changes › Changing the shipping address',
      'shipping-and-delivery › Changing the delivery address',
    ],
  },
  {
    query: 'I want to pay with paypal instead',
    answers: [
      'cancellations-and-order-changes › Changing the payment method',
      'payments-and-gift-cards › Accepted payment methods',
    ],
  },
  {
    query: 'can I change the items in my order twice',
    answers: ['cancellations-and-order-changes › Changing items'],
  },
  {
    query: 'swap item for a different model',
    answers: [
      'cancellations-and-order-changes › Changing items',
      'returns-and-refunds › Exchanges',
    ],
  },
  // shipping
  { query: 'which carriers do you use', answers: ['shipping-and-delivery › Carriers'] },
  {
    query: 'how long does standard shipping take',
    answers: ['shipping-and-delivery › Shipping options, times and costs'],
  },
  {
    query: 'next day delivery cost',
    answers: ['shipping-and-delivery › Shipping options, times and costs'],
  },
  {
    query: 'free shipping minimum',
    answers: ['shipping-and-delivery › Shipping options, times and costs'],
  },
  {
    query: 'do you ship to Alaska',
    answers: ['shipping-and-delivery › Shipping options, times and costs'],
  },
  {
    query: 'tracking number',
    answers: ['shipping-and-delivery › Where is my order: status and tracking'],
  },
  {
    query: 'my package never arrived',
    answers: ['shipping-and-delivery › Lost or missing parcels'],
  },
  {
    query: 'delivered but not received',
    answers: ['shipping-and-delivery › Lost or missing parcels'],
  },
  { query: 'parcel arrived damaged', answers: ['shipping-and-delivery › Damaged parcels'] },
  { query: 'my parcel is late', answers: ['shipping-and-delivery › Late parcels'] },
  // warranty
  {
    query: 'is my blender covered if it breaks after 18 months',
    answers: ['warranty › How long coverage lasts'],
  },
  { query: 'laptop warranty months', answers: ['warranty › How long coverage lasts'] },
  { query: 'office chair warranty', answers: ['warranty › How long coverage lasts'] },
  { query: 'what is not covered by the warranty', answers: ['warranty › What is not covered'] },
  { query: 'cracked screen warranty', answers: ['warranty › What is not covered'] },
  { query: 'how do I make a warranty claim', answers: ['warranty › How to make a claim'] },
  {
    query: 'my espresso machine stopped working after a year',
    answers: ['warranty › How long coverage lasts', 'warranty › What is covered'],
  },
  // payments and gift cards
  { query: 'do gift cards expire', answers: ['payments-and-gift-cards › Gift cards'] },
  {
    query: 'pay with gift card and credit card together',
    answers: ['payments-and-gift-cards › Gift cards'],
  },
  {
    query: 'which payment methods do you accept',
    answers: ['payments-and-gift-cards › Accepted payment methods'],
  },
  {
    query: 'price dropped after I bought it',
    answers: ['payments-and-gift-cards › Price adjustments'],
  },
  { query: 'charged twice', answers: ['payments-and-gift-cards › Declined payments and holds'] },
  // privacy
  {
    query: 'how do I give my card number',
    answers: [
      'payments-and-gift-cards › Never share card details in a chat or call',
      'privacy-and-verification › What we never ask for',
    ],
  },
  {
    query: 'I typed my credit card number by mistake',
    answers: [
      'payments-and-gift-cards › Never share card details in a chat or call',
      'privacy-and-verification › What we never ask for',
    ],
  },
  {
    query: 'why do you need my zip code',
    answers: [
      'privacy-and-verification › Why we verify',
      'privacy-and-verification › How verification works',
    ],
  },
  {
    query: 'how long do you keep my chat history',
    answers: ['privacy-and-verification › Conversation transcripts and chat history'],
  },
  { query: 'delete my personal data', answers: ["privacy-and-verification › Customers' rights"] },
  // people
  {
    query: 'talk to a human',
    answers: ['talking-to-a-person › When the conversation goes to a person'],
  },
  { query: 'customer service opening hours', answers: ['talking-to-a-person › Opening hours'] },
  { query: 'I want to complain about an agent', answers: ['talking-to-a-person › Complaints'] },
  {
    query: 'battery is overheating',
    answers: ['talking-to-a-person › When the conversation goes to a person'],
  },
];

/**
 * Questions written after the search and the documents were last tuned, and not tuned on since: they measure
 * how the search does on wording nobody adjusted for.
 */
export const HELD_OUT_POLICY_QUESTIONS: readonly LabelledQuestion[] = [
  {
    query: 'what happens to my money if I cancel',
    answers: [
      'cancellations-and-order-changes › Cancelling a pending order',
      'returns-and-refunds › Refunds for cancelled orders',
    ],
  },
  {
    query: 'order already processed can I still cancel it',
    answers: [
      'cancellations-and-order-changes › Orders that have shipped',
      'cancellations-and-order-changes › Orders that cannot be changed',
    ],
  },
  {
    query: 'gift card refund instant',
    answers: [
      'payments-and-gift-cards › How long refunds take',
      'returns-and-refunds › How long a refund takes',
    ],
  },
  {
    query: 'return items from the same order separately',
    answers: ['returns-and-refunds › How to start a return'],
  },
  {
    query: 'lost parcel replacement',
    answers: ['shipping-and-delivery › Lost or missing parcels'],
  },
  {
    query: 'box was crushed when it arrived',
    answers: ['shipping-and-delivery › Damaged parcels'],
  },
  {
    query: 'expedited shipping price',
    answers: ['shipping-and-delivery › Shipping options, times and costs'],
  },
  { query: 'can I choose UPS or FedEx', answers: ['shipping-and-delivery › Carriers'] },
  { query: 'headphones warranty length', answers: ['warranty › How long coverage lasts'] },
  {
    query: 'dropped my phone and the screen broke, is that covered',
    answers: ['warranty › What is not covered'],
  },
  { query: 'do I need a receipt for warranty', answers: ['warranty › How to make a claim'] },
  { query: 'warranty after replacement', answers: ['warranty › How to make a claim'] },
  {
    query: 'split payment between gift card and visa',
    answers: ['payments-and-gift-cards › Gift cards'],
  },
  {
    query: 'add a new credit card to my order',
    answers: [
      'cancellations-and-order-changes › Changing the payment method',
      'payments-and-gift-cards › Never share card details in a chat or call',
    ],
  },
  {
    query: 'someone asked for my CVV',
    answers: [
      'payments-and-gift-cards › Never share card details in a chat or call',
      'privacy-and-verification › What we never ask for',
    ],
  },
  {
    query: "can you look up my husband's order",
    answers: ['privacy-and-verification › How verification works'],
  },
  {
    query: 'do you record phone calls',
    answers: ['privacy-and-verification › Conversation transcripts and chat history'],
  },
  {
    query: 'will I have to repeat myself to the agent',
    answers: ['talking-to-a-person › How the handoff works'],
  },
  { query: 'support hours on Saturday', answers: ['talking-to-a-person › Opening hours'] },
  {
    query: 'return after 30 days exception',
    answers: [
      'talking-to-a-person › What agents can do beyond the assistant',
      'returns-and-refunds › Return window',
    ],
  },
];
