import type { PostalAddress } from './entities';
import type {
  AvatarResult,
  OrderDetails,
  OrderItem,
  PaymentMethodDetails,
  PolicyPassage,
  ProductVariant,
  ShipmentDetails,
  TrackingReport,
  UserDetails,
  WarrantyItem,
} from './tool-results';

/**
 * Everything the offline model says, as functions of tool results. Only facts from those results appear; the
 * wording stays short, and in a phone call (`voice`) it avoids lists and markdown.
 */

export interface Style {
  voice: boolean;
}

/** Said when the assistant offers a person; a later plain "yes" is read as accepting the offer. */
export const PERSON_OFFER = 'Would you like me to connect you with a person?';
/** Ends an answer; a later plain "no" is read as the end of the conversation. */
export const ANYTHING_ELSE = 'Is there anything else I can help with?';

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** Dollars as "$1,234.56", with τ-bench's floating-point noise rounded to cents. */
export function formatMoney(amount: number): string {
  return money.format(Math.round(amount * 100) / 100);
}

/** "2026-03-05" or an ISO time as "March 5, 2026"; anything unparseable is shown as given. */
export function formatDate(value: string): string {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/u.test(value) ? `${value}T12:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/** An ISO time as "March 5, 2026, 2:40 PM UTC". */
export function formatDateTime(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const day = formatDate(value);
  const time = date.toLocaleTimeString('en-US', {
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'UTC',
  });
  return `${day}, ${time} UTC`;
}

/** "a, b and c". */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]!}`;
}

/**
 * An option as a customer would say it: the value alone when it speaks for itself ("blue", "1000ml"), with its
 * name when it does not ("size 9", "waterproof", "no backlight").
 */
function describeOption(key: string, value: string): string {
  const lower = value.toLowerCase();
  if (lower === 'yes') return key;
  if (lower === 'no' || lower === 'none') return `no ${key}`;
  if (/^\d+(?:\.\d+)?$/u.test(value)) return `${key} ${value}`;
  return value;
}

/** "Water Bottle (1000ml, glass, blue)". */
export function describeItem(item: Pick<OrderItem, 'name' | 'options'>): string {
  const options = Object.entries(item.options).map(([key, value]) => describeOption(key, value));
  return options.length > 0 ? `${item.name} (${options.join(', ')})` : item.name;
}

function describeOptions(options: Readonly<Record<string, string>>): string {
  return Object.entries(options)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
}

export function describeAddress(
  address: Pick<PostalAddress, 'address1' | 'address2' | 'city' | 'state' | 'zip'>,
): string {
  const street =
    address.address2 === '' ? address.address1 : `${address.address1}, ${address.address2}`;
  return `${street}, ${address.city}, ${address.state} ${address.zip}`;
}

/** A payment method as the customer knows it: "Visa card ending 9212", "gift card", "PayPal". */
export function describePaymentMethod(id: string, user: UserDetails | null): string {
  const method = user?.payment_methods[id];
  if (method !== undefined) return describeSavedMethod(method);
  if (id.startsWith('gift_card')) return 'your gift card';
  if (id.startsWith('paypal')) return 'your PayPal account';
  if (id.startsWith('credit_card')) return 'your credit card';
  return 'your original payment method';
}

function describeSavedMethod(method: PaymentMethodDetails): string {
  switch (method.source) {
    case 'credit_card': {
      const brand = method.brand === undefined ? 'Card' : capitalize(method.brand);
      return method.last_four === undefined
        ? `your ${brand} card`
        : `your ${brand} card ending ${method.last_four}`;
    }
    case 'gift_card':
      return method.balance === undefined
        ? 'your gift card'
        : `your gift card (balance ${formatMoney(method.balance)})`;
    case 'paypal':
      return 'your PayPal account';
    default:
      return `your ${method.source.replace(/_/gu, ' ')}`;
  }
}

function capitalize(word: string): string {
  return word.length === 0 ? word : word[0]!.toUpperCase() + word.slice(1);
}

const STATUS_PHRASES: Readonly<Record<string, string>> = {
  pending: "is pending: it hasn't shipped yet, so it can still be changed or cancelled",
  processed: 'has been processed and is on its way',
  delivered: 'has been delivered',
  cancelled: 'was cancelled',
  'pending (item modified)': "is pending with changed items; it can't be changed again",
  'exchange requested': 'has an exchange in progress',
  'return requested': 'has a return in progress',
};

export function describeOrderStatus(status: string): string {
  return STATUS_PHRASES[status] ?? `has the status "${status}"`;
}

function itemsTotal(order: OrderDetails): number {
  return order.items.reduce((total, item) => total + item.price, 0);
}

function bulletList(lines: readonly string[], style: Style): string {
  return style.voice ? joinWords(lines) : lines.map((line) => `- ${line}`).join('\n');
}

/** One order: status, items with prices, total, tracking numbers. */
export function orderSummary(order: OrderDetails, style: Style): string {
  const placed =
    order.placed_at === undefined || order.placed_at === null
      ? ''
      : `, placed on ${formatDate(order.placed_at)},`;
  const head = `Order ${order.order_id}${placed} ${describeOrderStatus(order.status)}.`;
  if (style.voice) {
    const names = joinWords(order.items.map((item) => item.name));
    return `${head} It contains ${names}, ${formatMoney(itemsTotal(order))} in total.`;
  }
  const items = order.items.map((item) => `${describeItem(item)}: ${formatMoney(item.price)}`);
  const tracking = order.fulfillments.flatMap((fulfillment) => fulfillment.tracking_id);
  const lines = [
    head,
    `Items:\n${bulletList(items, style)}`,
    `Items total: ${formatMoney(itemsTotal(order))}.`,
  ];
  if (tracking.length > 0)
    lines.push(`Tracking number${tracking.length > 1 ? 's' : ''}: ${tracking.join(', ')}.`);
  return lines.join('\n');
}

/** Several orders, one line each. `total` counts all the customer's orders, including those not shown. */
export function ordersOverview(
  orders: readonly OrderDetails[],
  total: number,
  style: Style,
): string {
  const lines = orders.map(
    (order) =>
      `${order.order_id}: ${order.status}, ${joinWords(order.items.map((item) => item.name))}`,
  );
  const more = total > orders.length ? ` (showing the ${orders.length} most recent)` : '';
  return `You have ${total} order${total === 1 ? '' : 's'}${more}:\n${bulletList(lines, style)}\nWhich one would you like to know more about?`;
}

export function noOrders(): string {
  return "I don't see any orders on your account.";
}

const PURPOSE_PHRASES: Readonly<Record<string, string>> = {
  order_status: 'check',
  list_orders: 'check',
  track: 'track',
  warranty: 'check the warranty for',
  cancel: 'cancel',
  change_address: 'change the address of',
  change_payment: 'change the payment of',
  change_items: 'change',
  return: 'return items from',
  exchange: 'exchange items from',
};

/** Asks which order, listing the candidates (with their items when known). */
export function askWhichOrder(
  candidates: readonly { orderId: string; order: OrderDetails | null }[],
  purpose: string,
  style: Style,
): string {
  const verb = PURPOSE_PHRASES[purpose] ?? 'help with';
  const lines = candidates.map(({ orderId, order }) =>
    order === null
      ? orderId
      : `${orderId} (${order.status}): ${joinWords(order.items.map((item) => item.name))}`,
  );
  return `Which order would you like to ${verb}?\n${bulletList(lines, style)}`;
}

export function noOrderFitsStatus(purpose: string, statusWanted: string): string {
  const verb = PURPOSE_PHRASES[purpose] ?? 'change';
  return `None of your orders can be ${verb === 'cancel' ? 'cancelled' : 'used for that'} right now: that needs an order that is ${statusWanted}. ${ANYTHING_ELSE}`;
}

export function orderLookupFailed(orderId: string, error: string): string {
  if (/not found/iu.test(error)) {
    return `I couldn't find order ${orderId} on your account. Could you check the order number?`;
  }
  return `I couldn't look up order ${orderId} just now (${error}). Could you try again in a moment?`;
}

export function lookupFailed(what: string, error: string): string {
  return `I couldn't ${what} just now (${error}). ${PERSON_OFFER}`;
}

const SHIPMENT_STATUS_PHRASES: Readonly<Record<string, string>> = {
  label_created: 'has a shipping label but has not been picked up yet',
  in_transit: 'is in transit',
  out_for_delivery: 'is out for delivery',
  delivered: 'has been delivered',
  exception: 'has a delivery problem reported by the carrier',
};

function shipmentLine(shipment: ShipmentDetails, style: Style): string {
  const status = SHIPMENT_STATUS_PHRASES[shipment.status] ?? `has the status "${shipment.status}"`;
  const parcel = shipment.carrier === null ? 'Parcel' : `The ${shipment.carrier} parcel`;
  const parts = [`${parcel} ${shipment.tracking_id} ${status}`];
  if (shipment.delivered_at !== null)
    parts[0] += ` (delivered ${formatDate(shipment.delivered_at)})`;
  else if (shipment.estimated_delivery !== null)
    parts[0] += `; expected ${formatDate(shipment.estimated_delivery)}`;
  const latest = shipment.events[shipment.events.length - 1];
  if (latest !== undefined && !style.voice) {
    const where = latest.location === '' ? '' : ` in ${latest.location}`;
    parts.push(`Latest update: ${latest.description}${where} (${formatDateTime(latest.time)}).`);
  }
  return `${parts[0]!}.${parts.length > 1 ? ` ${parts.slice(1).join(' ')}` : ''}`;
}

/** Where each parcel of an order is. */
export function trackingAnswer(report: TrackingReport, style: Style): string {
  const lines: string[] = [];
  if (report.shipments.length === 0) {
    lines.push(
      `Order ${report.order_id} has not shipped yet, so there is no tracking information.`,
    );
  } else {
    lines.push(`Here is where order ${report.order_id} is:`);
    lines.push(...report.shipments.map((shipment) => shipmentLine(shipment, style)));
  }
  if (report.note !== undefined && report.note.trim() !== '') lines.push(report.note.trim());
  if (report.shipments.some((shipment) => shipment.status === 'exception'))
    lines.push(PERSON_OFFER);
  return lines.join(style.voice ? ' ' : '\n');
}

/** Tracking numbers from the order when there is no shipment tool. */
export function trackingFromOrder(order: OrderDetails): string {
  const tracking = order.fulfillments.flatMap((fulfillment) => fulfillment.tracking_id);
  const status = `Order ${order.order_id} ${describeOrderStatus(order.status)}.`;
  if (tracking.length === 0) return `${status} There is no tracking number yet.`;
  return `${status} Tracking number${tracking.length > 1 ? 's' : ''}: ${tracking.join(', ')}.`;
}

function warrantyLine(item: WarrantyItem): string {
  const coverage =
    item.coverage_months === null
      ? 'no warranty information on file'
      : `${item.coverage_months} months of coverage`;
  let state: string;
  if (item.in_warranty === true) {
    state =
      item.coverage_ends === null
        ? 'still under warranty'
        : `under warranty until ${formatDate(item.coverage_ends)}`;
  } else if (item.in_warranty === false) {
    state =
      item.coverage_ends === null
        ? 'no longer under warranty'
        : `the warranty ended on ${formatDate(item.coverage_ends)}`;
  } else {
    state = "coverage starts once it's delivered";
  }
  const terms = item.terms === null || item.terms.trim() === '' ? '' : ` ${item.terms.trim()}`;
  return `${item.name}: ${coverage}, ${state}.${terms}`;
}

/** Warranty coverage of an order's items (only those the customer named, when they named some). */
export function warrantyAnswer(
  orderId: string,
  items: readonly WarrantyItem[],
  note: string | null,
  style: Style,
): string {
  if (items.length === 0)
    return `I found no warranty information for the items of order ${orderId}.`;
  const lines = items.map(warrantyLine);
  const answer = `Warranty for order ${orderId}:\n${bulletList(lines, style)}`;
  return note === null || note.trim() === '' ? answer : `${answer}\n${note.trim()}`;
}

const PASSAGE_LIMIT = 600;

/** The top policy passage, cited by document title and section. Spoken, it loses its markdown. */
export function policyAnswer(passage: PolicyPassage, style: Style): string {
  let text = passage.text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
  if (style.voice)
    text = text
      .replace(/\*\*|__|`/gu, '')
      .replace(/^\s*[-*]\s+/gmu, '')
      .replace(/\n/gu, ' ');
  const limit = style.voice ? 300 : PASSAGE_LIMIT;
  if (text.length > limit) {
    const cut = text.slice(0, limit);
    const end = Math.max(
      cut.lastIndexOf('. '),
      cut.lastIndexOf('.\n'),
      cut.lastIndexOf('; '),
      cut.lastIndexOf('? '),
    );
    text = end > 80 ? cut.slice(0, end + 1) : `${cut.trimEnd()}…`;
  }
  return `According to our "${passage.title}" policy (${passage.section}):\n${text}`;
}

export function noPolicyMatch(canTransfer: boolean): string {
  return `I couldn't find that in our policies.${canTransfer ? ` ${PERSON_OFFER}` : ''}`;
}

const STATUS_NEEDED: Readonly<Record<string, string>> = {
  cancel: 'pending',
  change_address: 'pending',
  change_payment: 'pending',
  change_items: 'pending',
  return: 'delivered',
  exchange: 'delivered',
};

/** Why this order cannot be used for the request, from its status. */
export function wrongStatus(purpose: string, order: OrderDetails): string {
  const status = `Order ${order.order_id} ${describeOrderStatus(order.status)}`;
  switch (purpose) {
    case 'cancel':
    case 'change_address':
    case 'change_payment':
    case 'change_items':
      if (order.status === 'delivered') {
        return `${status}, so it can't be changed any more, but items from it can be returned or exchanged. ${ANYTHING_ELSE}`;
      }
      return `${status}, so it can't be changed any more: only pending orders can. ${ANYTHING_ELSE}`;
    case 'return':
    case 'exchange':
      if (order.status === 'pending') {
        return `${status}, so there's nothing to send back yet; it can still be cancelled or changed instead. ${ANYTHING_ELSE}`;
      }
      return `${status}: only delivered orders can be ${purpose === 'return' ? 'returned' : 'exchanged'}. ${ANYTHING_ELSE}`;
    default:
      return `${status}. ${ANYTHING_ELSE}`;
  }
}

export function statusNeededFor(purpose: string): string | null {
  return STATUS_NEEDED[purpose] ?? null;
}

export function askCancelReason(orderId: string): string {
  return `I can cancel order ${orderId}. May I ask why: is it no longer needed, or was it ordered by mistake?`;
}

export function askNewAddress(orderId: string | null): string {
  const target = orderId === null ? 'your account' : `order ${orderId}`;
  return `What's the new address for ${target}? Please give the street, apartment or suite (if any), city, state and zip code, e.g. "123 Main St, Apt 4, Austin, TX 78701".`;
}

export function sameAddress(orderId: string): string {
  return `Order ${orderId} is already going to that address. ${ANYTHING_ELSE}`;
}

export function askPaymentMethod(methods: readonly PaymentMethodDetails[], style: Style): string {
  if (methods.length === 0)
    return "I don't see another saved payment method on your account to switch to.";
  const lines = methods.map(describeSavedMethod);
  return `Which payment method would you like to use?\n${bulletList(lines, style)}`;
}

export function samePaymentMethod(orderId: string): string {
  return `Order ${orderId} is already paid with that method. ${ANYTHING_ELSE}`;
}

export function askWhichItems(order: OrderDetails, action: string, style: Style): string {
  const lines = order.items.map(describeItem);
  return `Which item from order ${order.order_id} would you like to ${action}?\n${bulletList(lines, style)}`;
}

export function askWhichOfSimilarItems(
  candidates: readonly OrderItem[],
  action: string,
  style: Style,
): string {
  const lines = candidates.map(describeItem);
  return `Which one would you like to ${action}?\n${bulletList(lines, style)}`;
}

export function oneItemAtATime(): string {
  return "Let's change one item at a time. Which item should I start with?";
}

export function askVariant(
  item: OrderItem,
  options: Readonly<Record<string, readonly string[]>>,
  style: Style,
): string {
  const lines = Object.entries(options).map(([key, values]) => `${key}: ${values.join(', ')}`);
  return `What would you like instead of the ${describeItem(item)}? Available options:\n${bulletList(lines, style)}`;
}

export function variantUnavailable(
  item: OrderItem,
  changes: Readonly<Record<string, string>>,
): string {
  return `Sorry, the ${item.name} with ${describeOptions(changes)} is out of stock at the moment. Would you like a different option?`;
}

export function variantNotOffered(
  item: OrderItem,
  changes: Readonly<Record<string, string>>,
): string {
  return `Sorry, the ${item.name} doesn't come with ${describeOptions(changes)}. Would you like a different option?`;
}

export function askWhichVariant(
  item: OrderItem,
  candidates: readonly ProductVariant[],
  style: Style,
): string {
  const lines = candidates.map(
    (variant) => `${describeOptions(variant.options)}: ${formatMoney(variant.price)}`,
  );
  return `There are a few ${item.name} options that fit. Which one would you like?\n${bulletList(lines, style)}`;
}

export function greeting(options: { verified: boolean; verificationRequest: string }): string {
  const intro =
    "Hi! I'm the offline assistant. I can help with your orders, deliveries, returns, exchanges, cancellations and warranties.";
  return options.verified
    ? `${intro} What can I do for you?`
    : `${intro} To get started, could you give me ${options.verificationRequest}?`;
}

export function askVerification(verificationRequest: string, withLead: boolean): string {
  const lead = withLead ? 'I can help with that. ' : '';
  return `${lead}First I need to verify your identity: could you give me ${verificationRequest}?`;
}

export function askZip(): string {
  return 'Thanks! And the zip code on your account?';
}

export function askEmailOrName(): string {
  return 'Thanks! And your email address or full name, please?';
}

export function verificationFailed(): string {
  return "I couldn't find an account with those details. Could you double-check them (the email, or your full name, and the zip code on your account)?";
}

export function verificationRetryExhausted(canTransfer: boolean): string {
  return `Those details still don't match an account.${canTransfer ? ` ${PERSON_OFFER}` : ' Please check them and try once more.'}`;
}

export function verifiedNoRequest(): string {
  return "Thank you, you're verified. What can I help you with?";
}

export function alreadyVerified(): string {
  return "You're already verified. What can I help you with?";
}

export function thanksReply(): string {
  return `You're welcome! ${ANYTHING_ELSE}`;
}

export function goodbyeReply(): string {
  return 'Thanks for getting in touch. Have a great day!';
}

export function affirmWithoutQuestion(): string {
  return 'Great! What can I help you with?';
}

export function denyWithoutQuestion(): string {
  return `No problem. If you need anything else, just ask.`;
}

export function unknownReply(canTransfer: boolean): string {
  return `Sorry, I'm the offline assistant and I didn't understand that. I can help with order status, tracking, returns, exchanges, cancellations, address or payment changes, warranties and questions about our policies. Could you rephrase that?${canTransfer ? ` Or I can connect you with a person.` : ''}`;
}

export function cannotDoHere(canTransfer: boolean): string {
  return `Sorry, I'm the offline assistant and I can't do that here.${canTransfer ? ` ${PERSON_OFFER}` : ''}`;
}

/** Asked when the customer wants an avatar but did not say what it should show. */
export function askAvatarDescription(): string {
  return 'Happy to make you an avatar! What should your avatar show? For example: "a fox astronaut".';
}

export function avatarCreated(result: AvatarResult): string {
  const made =
    result.note === undefined
      ? `Here's your new avatar: ${result.description}.`
      : `Here's your new avatar. I can't draw right now, so I picked one from our avatar library for "${result.description}" rather than drawing it.`;
  const kept =
    result.saved_to === 'customer_profile'
      ? "It's saved to your profile."
      : "It's kept for this conversation; once you're verified, new avatars are saved to your profile.";
  const left = result.avatars_left_today === 0 ? ' That was your last new avatar for today.' : '';
  return `${made} ${kept}${left}`;
}

export function avatarFailed(reason: string): string {
  if (/daily limit/iu.test(reason)) {
    return "You've reached today's limit for new avatars, so I've kept your current one. You can make a new one tomorrow.";
  }
  if (/safety filter/iu.test(reason)) {
    return "I'm sorry, I can't make an avatar from that description. Would you like to try a different one?";
  }
  return "Sorry, I couldn't make your avatar right now. Please try again in a little while.";
}

export function cannotTransfer(): string {
  return "I'm sorry, I can't connect you with a person from here right now. I'm the offline assistant; I can still help with orders, returns, exchanges and warranties.";
}

export function transferDone(): string {
  return "I've passed our conversation to a colleague. A person will take over here as soon as possible.";
}

export function transferFailed(): string {
  return "I'm sorry, I couldn't reach a person just now. Please try again in a little while.";
}

export function stuck(canTransfer: boolean): string {
  return `Sorry, I couldn't finish that.${canTransfer ? ` ${PERSON_OFFER}` : ' Could you tell me again what you need?'}`;
}

export function declined(): string {
  return `OK, I haven't changed anything. ${ANYTHING_ELSE}`;
}

export function notConfirmed(): string {
  return "I haven't made that change, so nothing was changed.";
}

export interface OutcomeContext {
  /** The order before the change, when an earlier result shows it. */
  before: OrderDetails | null;
  user: UserDetails | null;
}

function refundsAdded(
  after: OrderDetails,
  before: OrderDetails | null,
): OrderDetails['payment_history'] {
  const previous = before?.payment_history.length ?? 0;
  return after.payment_history.slice(previous);
}

function moneyMovements(rows: OrderDetails['payment_history'], user: UserDetails | null): string[] {
  return rows.map((row) =>
    row.transaction_type === 'refund'
      ? `a refund of ${formatMoney(row.amount)} to ${describePaymentMethod(row.payment_method_id, user)}`
      : `a charge of ${formatMoney(row.amount)} to ${describePaymentMethod(row.payment_method_id, user)}`,
  );
}

function itemsByIds(order: OrderDetails | null, ids: readonly string[]): OrderItem[] {
  if (order === null) return [];
  return ids.flatMap((id) => {
    const item = order.items.find((candidate) => candidate.item_id === id);
    return item === undefined ? [] : [item];
  });
}

/** How a confirmed change turned out, from the tool's result (the changed order or account). */
export function writeOutcome(
  toolName: string,
  args: Readonly<Record<string, unknown>>,
  after: OrderDetails | null,
  context: OutcomeContext,
): string {
  const orderId =
    typeof args.order_id === 'string' ? args.order_id : (after?.order_id ?? 'your order');
  const stringList = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
  const newRows = after === null ? [] : refundsAdded(after, context.before);
  const movements = moneyMovements(
    context.before === null ? newRows.filter((row) => row.transaction_type === 'refund') : newRows,
    context.user,
  );
  const money = movements.length > 0 ? ` There will be ${joinWords(movements)}.` : '';
  let text: string;
  switch (toolName) {
    case 'cancel_pending_order':
      text = `Done: order ${orderId} is cancelled.${money}`;
      break;
    case 'modify_pending_order_address':
      text = `Done: order ${orderId} will now ship to ${after?.address === undefined ? 'the new address' : describeAddress(after.address)}.`;
      break;
    case 'modify_pending_order_payment': {
      const method =
        typeof args.payment_method_id === 'string'
          ? describePaymentMethod(args.payment_method_id, context.user)
          : 'the new method';
      text = `Done: order ${orderId} is now paid with ${method}.${money}`;
      break;
    }
    case 'modify_pending_order_items':
    case 'exchange_delivered_order_items': {
      const oldItems = itemsByIds(context.before, stringList(args.item_ids));
      const newItems = itemsByIds(after, stringList(args.new_item_ids));
      const change =
        oldItems.length > 0 && newItems.length > 0
          ? ` ${joinWords(oldItems.map(describeItem))} → ${joinWords(newItems.map(describeItem))}.`
          : '';
      text =
        toolName === 'modify_pending_order_items'
          ? `Done: I've changed the items on order ${orderId}.${change}${money}`
          : `Done: the exchange on order ${orderId} is requested.${change} The order status is now "${after?.status ?? 'exchange requested'}".${money}`;
      break;
    }
    case 'return_delivered_order_items': {
      const returned = itemsByIds(after ?? context.before, stringList(args.item_ids));
      const total = returned.reduce((sum, item) => sum + item.price, 0);
      const method =
        typeof args.payment_method_id === 'string'
          ? describePaymentMethod(args.payment_method_id, context.user)
          : 'your payment method';
      const what =
        returned.length > 0 ? ` for ${joinWords(returned.map((item) => item.name))}` : '';
      const refund =
        returned.length > 0
          ? ` The refund of ${formatMoney(total)} will go to ${method}.`
          : ` The refund will go to ${method}.`;
      text = `Done: the return${what} from order ${orderId} is requested.${refund}`;
      break;
    }
    case 'modify_user_address':
      text = 'Done: the default address on your account is updated.';
      break;
    default:
      text = 'Done.';
  }
  return `${text} ${ANYTHING_ELSE}`;
}

const WRITE_VERBS: Readonly<Record<string, string>> = {
  cancel_pending_order: 'cancel the order',
  modify_pending_order_address: 'change the address',
  modify_pending_order_payment: 'change the payment method',
  modify_pending_order_items: 'change the items',
  exchange_delivered_order_items: 'request the exchange',
  return_delivered_order_items: 'request the return',
  modify_user_address: 'update your address',
};

/** A change that the tool refused, in plain words. */
export function writeFailed(toolName: string, error: string, canTransfer: boolean): string {
  const verb = WRITE_VERBS[toolName] ?? 'make that change';
  const reason = error.replace(/\.$/u, '');
  return `I couldn't ${verb}: ${reason}.${canTransfer ? ` ${PERSON_OFFER}` : ` ${ANYTHING_ELSE}`}`;
}
