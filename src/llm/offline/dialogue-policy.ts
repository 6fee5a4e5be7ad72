import type { ToolSchema } from '../chat-model';
import * as say from './answer-templates';
import {
  type ItemResolution,
  availableOptionValues,
  chooseVariant,
  namesAnyItem,
  resolveItems,
  resolvePaymentMethod,
} from './catalog-matching';
import { type CallRecord, ConversationView, IDENTITY_TOOLS } from './conversation-reader';
import {
  type PersonName,
  type PostalAddress,
  buildSearchQuery,
  extractAddress,
  extractAvatarDescription,
  extractCancelReason,
  extractEmails,
  extractName,
  extractOrderIds,
  extractOrdinal,
  extractPaymentReference,
  extractZip,
  mentionsAccountAddress,
} from './entities';
import type { IntentClassification } from './intent-classifier';
import { type Intent, type TaskIntent, isTaskIntent, WRITE_INTENTS } from './intents';
import {
  type OrderDetails,
  type UserDetails,
  AvatarResult,
  OrderDetails as OrderDetailsSchema,
  PolicySearchResult,
  ProductDetails,
  TrackingReport,
  UserDetails as UserDetailsSchema,
  WarrantyReport,
  errorText,
  isErrorResult,
  parseResult,
} from './tool-results';

/** A tool call the offline model decided on, before it gets an id. */
export interface PlannedCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** What the model says and calls next. Text and calls may come together ("I haven't changed that." + a lookup). */
export interface Step {
  text: string | null;
  calls: PlannedCall[];
}

export interface PolicyInput {
  view: ConversationView;
  tools: readonly ToolSchema[];
  /** The intent of each customer message, in the order of `view.userTurns`. */
  intents: readonly IntentClassification[];
}

/** The tools that change data; each ends the turn with a confirmation, so they cannot loop. */
export const WRITE_TOOLS: ReadonlySet<string> = new Set([
  'cancel_pending_order',
  'modify_pending_order_address',
  'modify_pending_order_payment',
  'modify_pending_order_items',
  'exchange_delivered_order_items',
  'return_delivered_order_items',
  'modify_user_address',
]);

const TRANSFER_TOOL = 'transfer_to_human_agents';
const AVATAR_TOOL = 'create_profile_avatar';
/** The most orders looked up at once to choose one or list them: a customer's recent history, bounded. */
const ORDERS_LOOKED_UP_MAX = 5;
/** Failed identity lookups after which the assistant stops asking and offers a person. */
const IDENTITY_ATTEMPTS_MAX = 3;

/** What the assistant's previous message asked, read from its wording. */
type Question =
  | 'confirmation'
  | 'person_offer'
  | 'identity'
  | 'order'
  | 'reason'
  | 'address'
  | 'payment'
  | 'item'
  | 'variant'
  | 'avatar_description'
  | 'anything_else';

/** A request the conversation is working towards, and the customer messages that state and complete it. */
interface Goal {
  intent: TaskIntent;
  /** Index in `userTurns` of the message that stated it. */
  start: number;
  /** The customer texts that state and complete it, oldest first. */
  texts: string[];
  /** The index in `userTurns` of each text. */
  turns: number[];
}

const NO_CALLS: PlannedCall[] = [];

/** The next step of the conversation: the whole policy, recomputed from the messages on every call. */
export function decideNextStep(input: PolicyInput): Step {
  return new Dialogue(input).decide();
}

class Dialogue {
  private readonly view: ConversationView;
  private readonly tools: ReadonlyMap<string, ToolSchema>;
  private readonly intents: readonly IntentClassification[];
  private readonly style: say.Style;
  private readonly verifiedUserId: string | null;

  constructor(input: PolicyInput) {
    this.view = input.view;
    this.tools = new Map(input.tools.map((tool) => [tool.name, tool]));
    this.intents = input.intents;
    this.style = { voice: input.view.isVoice };
    this.verifiedUserId = input.view.verifiedUserId();
  }

  decide(): Step {
    const last = this.view.lastMessage;
    let step: Step;
    if (last?.role === 'tool') step = this.afterTools();
    else if (last?.role === 'user') step = this.onUserMessage();
    else
      step = this.text(
        say.greeting({
          verified: this.verifiedUserId !== null,
          verificationRequest: this.verificationRequest(),
        }),
      );
    return this.withoutRepeatedLookups(step);
  }

  // ── Reading the conversation ────────────────────────────────────────────────────────────────────────────

  private get canTransfer(): boolean {
    return this.tools.has(TRANSFER_TOOL);
  }

  private intentAt(turn: number): Intent {
    return this.intents[turn]?.intent ?? 'unknown';
  }

  private questionBefore(turn: number): Question | null {
    const user = this.view.userTurns[turn];
    if (user === undefined) return null;
    return readQuestion(this.view.assistantTextBefore(user.index));
  }

  /**
   * The goal in force after each customer message, folded from the first message on. A new task starts a goal;
   * an answer to the assistant's question, a verification detail, or a yes to a confirmation continues it;
   * thanks, goodbye or a request for a person ends it.
   */
  private goalAfter(turn: number): Goal | null {
    let goal: Goal | null = null;
    for (let index = 0; index <= turn; index += 1) goal = this.nextGoal(goal, index);
    return goal;
  }

  private nextGoal(goal: Goal | null, turn: number): Goal | null {
    const intent = this.intentAt(turn);
    const text = this.view.userTurns[turn]?.text ?? '';
    const question = this.questionBefore(turn);
    const continued = (current: Goal): Goal => ({
      ...current,
      texts: [...current.texts, text],
      turns: [...current.turns, turn],
    });
    if (isTaskIntent(intent)) {
      if (
        goal !== null &&
        question !== null &&
        answersQuestion(question, text) &&
        wordCount(text) <= 12
      ) {
        return continued(goal);
      }
      return { intent, start: turn, texts: [text], turns: [turn] };
    }
    switch (intent) {
      case 'thanks':
      case 'goodbye':
      case 'talk_to_person':
        return null;
      case 'greeting':
        return goal;
      case 'affirm':
      case 'deny':
        return goal !== null &&
          question !== null &&
          question !== 'anything_else' &&
          question !== 'person_offer'
          ? continued(goal)
          : null;
      case 'verify':
      case 'unknown': {
        if (
          goal !== null &&
          !this.isClosed(goal, turn) &&
          (isSlotQuestion(question) || carriesDetails(text))
        ) {
          return continued(goal);
        }
        if (extractOrderIds(text).length > 0)
          return { intent: 'order_status', start: turn, texts: [text], turns: [turn] };
        return intent === 'verify' ? goal : null;
      }
      default:
        return goal;
    }
  }

  /** A change request is closed once its change has an outcome (done, refused or declined). */
  private isClosed(goal: Goal, beforeTurn: number): boolean {
    if (!WRITE_INTENTS.has(goal.intent)) return false;
    const from = this.view.userTurns[goal.start]?.index ?? 0;
    const to = this.view.userTurns[beforeTurn]?.index ?? Number.MAX_SAFE_INTEGER;
    return this.view.calls.some(
      (record) =>
        WRITE_TOOLS.has(record.call.name) &&
        record.messageIndex > from &&
        record.messageIndex < to &&
        record.result !== null &&
        !ConversationView.isAwaitingConfirmation(record.result),
    );
  }

  private currentGoal(): Goal | null {
    return this.goalAfter(this.view.userTurns.length - 1);
  }

  /** The order the goal is about: named in it, pointed at in a list just shown, or the one discussed before. */
  private goalOrderId(goal: Goal): string | null {
    const named = this.namedOrderId(goal, 0);
    if (named !== null) return named;
    if (
      /\b(?:another|other|different|new)\s+order\b|\ban\s+order\b|\bone of my orders\b/iu.test(
        goal.texts[0] ?? '',
      )
    ) {
      return null;
    }
    for (let turn = goal.start - 1; turn >= 0; turn -= 1) {
      const ids = extractOrderIds(this.view.userTurns[turn]!.text);
      if (ids.length > 0) return ids[ids.length - 1]!;
    }
    return null;
  }

  /** An order the customer named or pointed at ("the second one") in the goal's messages from `from` on. */
  private namedOrderId(goal: Goal, from: number): string | null {
    for (let index = goal.texts.length - 1; index >= from; index -= 1) {
      const ids = extractOrderIds(goal.texts[index]!);
      if (ids.length > 0) return ids[ids.length - 1]!;
      const turn = goal.turns[index]!;
      const ordinal = extractOrdinal(goal.texts[index]!);
      if (ordinal !== null && this.questionBefore(turn) === 'order') {
        const user = this.view.userTurns[turn]!;
        const listed = extractOrderIds(this.view.assistantTextBefore(user.index));
        const picked = ordinal === -1 ? listed[listed.length - 1] : listed[ordinal];
        if (picked !== undefined) return picked;
      }
    }
    return null;
  }

  private latest<T>(texts: readonly string[], read: (text: string) => T | null): T | null {
    for (let index = texts.length - 1; index >= 0; index -= 1) {
      const value = read(texts[index]!);
      if (value !== null) return value;
    }
    return null;
  }

  // ── Steps ───────────────────────────────────────────────────────────────────────────────────────────────

  private text(text: string): Step {
    return { text, calls: NO_CALLS };
  }

  private call(name: string, values: Record<string, unknown>): Step {
    const schema = this.tools.get(name);
    if (schema === undefined) return this.text(say.cannotDoHere(this.canTransfer));
    const args = buildArguments(schema, values);
    if (args === null) return this.text(say.cannotDoHere(this.canTransfer));
    return { text: null, calls: [{ name, arguments: args }] };
  }

  /** Looking the same thing up twice in one turn means the policy is going round in circles: stop and say so. */
  private withoutRepeatedLookups(step: Step): Step {
    const made = new Set(
      this.view.currentTurnCalls().map((record) => callKey(record.call.name, record.args)),
    );
    const repeated = step.calls.some(
      (call) => !WRITE_TOOLS.has(call.name) && made.has(callKey(call.name, call.arguments)),
    );
    return repeated ? this.text(say.stuck(this.canTransfer)) : step;
  }

  // ── Customer messages ───────────────────────────────────────────────────────────────────────────────────

  private onUserMessage(): Step {
    const turn = this.view.userTurns.length - 1;
    const intent = this.intentAt(turn);
    const text = this.view.lastUserText;
    const question = this.questionBefore(turn);
    const goal = this.currentGoal();
    if (question === 'avatar_description' && answersAvatarQuestion(intent)) {
      return this.avatar(extractAvatarDescription(text) ?? text.trim());
    }
    switch (intent) {
      case 'avatar':
        return this.avatar(extractAvatarDescription(text));
      case 'greeting':
        if (this.verifiedUserId === null && hasIdentityDetails(text))
          return this.verification(goal);
        return this.text(
          say.greeting({
            verified: this.verifiedUserId !== null,
            verificationRequest: this.verificationRequest(),
          }),
        );
      case 'thanks':
        return this.text(say.thanksReply());
      case 'goodbye':
        return this.text(say.goodbyeReply());
      case 'talk_to_person':
        return this.transfer();
      case 'affirm':
      case 'deny':
        return this.onYesOrNo(intent, question, goal);
      case 'verify':
        if (this.verifiedUserId !== null)
          return goal === null ? this.text(say.alreadyVerified()) : this.proceed(goal);
        return this.verification(goal);
      case 'unknown':
        if (goal !== null) {
          const step = this.proceed(goal);
          // Re-asking the same question without a word would read as if the customer had not been heard.
          return step.calls.length === 0 &&
            step.text !== null &&
            !carriesDetails(text) &&
            isSlotQuestion(question)
            ? { ...step, text: `Sorry, I didn't quite get that. ${step.text}` }
            : step;
        }
        if (this.verifiedUserId === null && hasIdentityDetails(text))
          return this.verification(null);
        return this.text(say.unknownReply(this.canTransfer));
      default:
        return goal === null ? this.text(say.unknownReply(this.canTransfer)) : this.proceed(goal);
    }
  }

  /** A profile picture: drawn when the customer said what it should show, else they are asked. */
  private avatar(description: string | null): Step {
    if (!this.tools.has(AVATAR_TOOL)) return this.text(say.cannotDoHere(this.canTransfer));
    if (description === null) return this.text(say.askAvatarDescription());
    return this.call(AVATAR_TOOL, { description });
  }

  private onYesOrNo(intent: 'affirm' | 'deny', question: Question | null, goal: Goal | null): Step {
    if (question === 'person_offer') {
      return intent === 'affirm' ? this.transfer() : this.text(say.denyWithoutQuestion());
    }
    if (question === 'anything_else') {
      return intent === 'deny'
        ? this.text(say.goodbyeReply())
        : this.text(say.affirmWithoutQuestion());
    }
    if (goal !== null && isSlotQuestion(question)) return this.proceed(goal);
    return this.text(intent === 'affirm' ? say.affirmWithoutQuestion() : say.denyWithoutQuestion());
  }

  // ── Tool results ────────────────────────────────────────────────────────────────────────────────────────

  private afterTools(): Step {
    const batch = this.view.lastBatch();
    const write = batch.find(
      (record) => WRITE_TOOLS.has(record.call.name) && record.result !== null,
    );
    if (write !== undefined) return this.writeResult(write);
    const avatar = batch.find(
      (record) => record.call.name === AVATAR_TOOL && record.result !== null,
    );
    if (avatar?.result != null) {
      const made = parseResult(AvatarResult, avatar.result);
      return this.text(
        made === null ? say.avatarFailed(errorText(avatar.result)) : say.avatarCreated(made),
      );
    }
    const transfer = batch.find((record) => record.call.name === TRANSFER_TOOL);
    if (transfer !== undefined) {
      return this.text(
        transfer.result !== null && isErrorResult(transfer.result)
          ? say.transferFailed()
          : say.transferDone(),
      );
    }
    const goal = this.currentGoal();
    const identity = batch.find((record) => IDENTITY_TOOLS.has(record.call.name));
    if (identity !== undefined) {
      if (this.verifiedUserId === null) return this.verification(goal);
      return goal === null ? this.text(say.verifiedNoRequest()) : this.proceed(goal);
    }
    return goal === null ? this.text(say.stuck(this.canTransfer)) : this.proceed(goal);
  }

  private writeResult(record: CallRecord): Step {
    const result = record.result ?? '';
    if (ConversationView.isAwaitingConfirmation(result))
      return this.text(say.stuck(this.canTransfer));
    if (isErrorResult(result)) {
      const reason = errorText(result);
      if (/\bdeclined\b/iu.test(reason)) return this.text(say.declined());
      if (/\bdid not confirm\b|\bnot confirm(?:ed)?\b|\bdidn't confirm\b/iu.test(reason)) {
        const intent = this.intentAt(this.view.userTurns.length - 1);
        if (intent === 'deny') return this.text(say.declined());
        const next = this.onUserMessage();
        return {
          text: [say.notConfirmed(), next.text]
            .filter((part) => part !== null && part !== '')
            .join(' '),
          calls: next.calls,
        };
      }
      return this.text(say.writeFailed(record.call.name, reason, this.canTransfer));
    }
    const orderId = typeof record.args.order_id === 'string' ? record.args.order_id : null;
    const before =
      orderId === null
        ? null
        : this.latestParsed(
            OrderDetailsSchema,
            'get_order_details',
            (args) => args.order_id === orderId,
            record.messageIndex,
          );
    const user = this.latestParsed(
      UserDetailsSchema,
      'get_user_details',
      () => true,
      record.messageIndex + 1,
    );
    const after = parseResult(OrderDetailsSchema, result);
    return this.text(say.writeOutcome(record.call.name, record.args, after, { before, user }));
  }

  /** The latest parseable result of a lookup made before `beforeMessage`, anywhere in the history. */
  private latestParsed<T>(
    schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
    name: string,
    matches: (args: Readonly<Record<string, unknown>>) => boolean,
    beforeMessage: number,
  ): T | null {
    for (let index = this.view.calls.length - 1; index >= 0; index -= 1) {
      const record = this.view.calls[index]!;
      if (
        record.messageIndex >= beforeMessage ||
        record.call.name !== name ||
        record.result === null
      )
        continue;
      if (!matches(record.args)) continue;
      const parsed = parseJson(record.result);
      if (parsed === undefined) continue;
      const checked = schema.safeParse(parsed);
      if (checked.success) return checked.data;
    }
    return null;
  }

  // ── Verification ────────────────────────────────────────────────────────────────────────────────────────

  private verificationRequest(): string {
    const email = this.tools.get('find_user_id_by_email');
    const name = this.tools.get('find_user_id_by_name_zip');
    if (email !== undefined && requiredOf(email).includes('zip')) {
      return name === undefined
        ? 'your email address and the zip code on your account'
        : 'your email address or full name, together with the zip code on your account';
    }
    if (email !== undefined)
      return name === undefined
        ? 'your email address'
        : 'your email address, or your full name and zip code';
    return 'your full name and the zip code on your account';
  }

  /**
   * The latest email, zip and name the customer gave, across the conversation, and which of email and name came
   * last: a customer who tries their name after a failed email means the name.
   */
  private identityDetails(): {
    email: string | null;
    zip: string | null;
    name: PersonName | null;
    nameIsNewer: boolean;
  } {
    let email: string | null = null;
    let zip: string | null = null;
    let name: PersonName | null = null;
    let emailTurn = -1;
    let nameTurn = -1;
    this.view.userTurns.forEach((user, turn) => {
      const emails = extractEmails(user.text);
      if (emails.length > 0) {
        email = emails[emails.length - 1]!;
        emailTurn = turn;
      }
      if (extractAddress(user.text) === null) zip = extractZip(user.text) ?? zip;
      const expectingName =
        this.questionBefore(turn) === 'identity' || this.intentAt(turn) === 'verify';
      const named = extractName(user.text, { expectingName });
      if (named !== null) {
        name = named;
        nameTurn = turn;
      }
    });
    return { email, zip, name, nameIsNewer: nameTurn > emailTurn };
  }

  private verification(goal: Goal | null): Step {
    const emailTool = this.tools.get('find_user_id_by_email');
    const nameTool = this.tools.get('find_user_id_by_name_zip');
    if (emailTool === undefined && nameTool === undefined)
      return this.text(say.cannotDoHere(this.canTransfer));
    const failures = this.view
      .identityAttempts()
      .filter((record) => isErrorResult(record.result ?? ''));
    if (failures.length >= IDENTITY_ATTEMPTS_MAX)
      return this.text(say.verificationRetryExhausted(this.canTransfer));
    const justFailed = this.view.lastBatch().some((record) => IDENTITY_TOOLS.has(record.call.name));
    if (justFailed) return this.text(say.verificationFailed());

    const { email, zip, name, nameIsNewer } = this.identityDetails();
    const tried = new Set(
      this.view.identityAttempts().map((record) => callKey(record.call.name, record.args)),
    );
    let alreadyTried = false;
    const attempt = (
      toolName: string,
      schema: ToolSchema,
      values: Record<string, unknown>,
    ): Step | null => {
      const args = buildArguments(schema, values);
      if (args === null) return null;
      if (tried.has(callKey(toolName, args))) {
        alreadyTried = true;
        return null;
      }
      return { text: null, calls: [{ name: toolName, arguments: args }] };
    };
    const byEmail = (): Step | null => {
      if (email === null || emailTool === undefined) return null;
      if (requiredOf(emailTool).includes('zip') && zip === null) return this.text(say.askZip());
      return attempt('find_user_id_by_email', emailTool, {
        email,
        ...(zip === null ? {} : { zip }),
      });
    };
    const byName = (): Step | null => {
      if (name === null || nameTool === undefined) return null;
      if (zip === null) return this.text(say.askZip());
      return attempt('find_user_id_by_name_zip', nameTool, {
        first_name: name.firstName,
        last_name: name.lastName,
        zip,
      });
    };
    const step = nameIsNewer ? (byName() ?? byEmail()) : (byEmail() ?? byName());
    if (step !== null) return step;
    if (alreadyTried) return this.text(say.verificationFailed());
    if (zip !== null && email === null && name === null) return this.text(say.askEmailOrName());
    return this.text(say.askVerification(this.verificationRequest(), goal !== null));
  }

  // ── Tasks ───────────────────────────────────────────────────────────────────────────────────────────────

  private proceed(goal: Goal): Step {
    if (goal.intent === 'policy_question') return this.policy(goal.texts[0] ?? '');
    if (goal.intent === 'warranty' && this.isGeneralWarrantyQuestion(goal))
      return this.policy(warrantyQuestion(goal));
    if (this.verifiedUserId === null) return this.verification(goal);
    switch (goal.intent) {
      case 'list_orders': {
        // After the list, "the second one" or an order number asks for that order's details.
        const picked = this.namedOrderId(goal, 1);
        if (picked !== null)
          return this.withOrderId(picked, (order) =>
            this.text(say.orderSummary(order, this.style)),
          );
        return this.withAccountOrders((orders, total) =>
          this.text(say.ordersOverview(orders, total, this.style)),
        );
      }
      case 'order_status':
        return this.withOrder(goal, (order) => this.text(say.orderSummary(order, this.style)));
      case 'track':
        return this.track(goal);
      case 'warranty':
        return this.warranty(goal);
      case 'cancel':
        return this.withOrder(goal, (order) => this.cancel(goal, order));
      case 'change_address':
        if (this.isAccountAddressChange(goal)) return this.changeAccountAddress(goal);
        return this.withOrder(goal, (order) => this.changeAddress(goal, order));
      case 'change_payment':
        return this.withOrder(goal, (order) => this.changePayment(goal, order));
      case 'change_items':
      case 'exchange':
        return this.withOrder(goal, (order) => this.changeItems(goal, order));
      case 'return':
        return this.withOrder(goal, (order) => this.returnItems(goal, order));
      default:
        return this.text(say.unknownReply(this.canTransfer));
    }
  }

  private isGeneralWarrantyQuestion(goal: Goal): boolean {
    const text = goal.texts.join(' ');
    if (this.namedOrderId(goal, 0) !== null) return false;
    return !/\b(?:my|mine|i\s+bought|i\s+ordered|i\s+got|i\s+received|i\s+purchased|it|this|am\s+i)\b/iu.test(
      text,
    );
  }

  /** Runs `then` with the goal's order, looking it up first; without an order id, helps the customer pick one. */
  private withOrder(goal: Goal, then: (order: OrderDetails) => Step): Step {
    const orderId = this.goalOrderId(goal);
    if (orderId !== null) return this.withOrderId(orderId, then);
    if (goal.intent === 'order_status') {
      return this.withAccountOrders((orders, total) =>
        orders.length === 1
          ? then(orders[0]!)
          : this.text(say.ordersOverview(orders, total, this.style)),
      );
    }
    return this.withAccountOrders((orders) => {
      const statusNeeded = say.statusNeededFor(goal.intent);
      const fitting = orders.filter((order) => statusFits(goal.intent, order.status));
      const candidates = fitting.length > 0 || statusNeeded === null ? fitting : [];
      if (candidates.length === 1) return then(candidates[0]!);
      if (candidates.length === 0) {
        if (orders.length === 1) return then(orders[0]!);
        return this.text(say.noOrderFitsStatus(goal.intent, statusNeeded ?? 'open'));
      }
      const byItems = candidates.filter((order) => resolvesByName(goal.texts.join(' '), order));
      if (byItems.length === 1) return then(byItems[0]!);
      const listed = (byItems.length > 1 ? byItems : candidates).map((order) => ({
        orderId: order.order_id,
        order,
      }));
      return this.text(say.askWhichOrder(listed, goal.intent, this.style));
    });
  }

  private withOrderId(orderId: string, then: (order: OrderDetails) => Step): Step {
    const record = this.view.currentResult(
      'get_order_details',
      (args) => args.order_id === orderId,
    );
    if (record === null) return this.call('get_order_details', { order_id: orderId });
    const result = record.result ?? '';
    if (isErrorResult(result)) return this.text(say.orderLookupFailed(orderId, errorText(result)));
    const order = parseResult(OrderDetailsSchema, result);
    return order === null ? this.text(say.stuck(this.canTransfer)) : then(order);
  }

  private withUser(then: (user: UserDetails) => Step): Step {
    const record = this.view.currentResult('get_user_details');
    if (record === null) return this.call('get_user_details', { user_id: this.verifiedUserId });
    const result = record.result ?? '';
    if (isErrorResult(result))
      return this.text(say.lookupFailed('look up your account', errorText(result)));
    const user = parseResult(UserDetailsSchema, result);
    return user === null ? this.text(say.stuck(this.canTransfer)) : then(user);
  }

  /** The customer's most recent orders, looked up together, newest first. */
  private withAccountOrders(then: (orders: OrderDetails[], total: number) => Step): Step {
    return this.withUser((user) => {
      if (user.orders.length === 0) return this.text(say.noOrders());
      const recent = user.orders.slice(-ORDERS_LOOKED_UP_MAX).reverse();
      const missing = recent.filter(
        (orderId) =>
          this.view.currentResult('get_order_details', (args) => args.order_id === orderId) ===
          null,
      );
      if (missing.length > 0) {
        const calls = missing.flatMap(
          (orderId) => this.call('get_order_details', { order_id: orderId }).calls,
        );
        return calls.length === 0
          ? this.text(say.cannotDoHere(this.canTransfer))
          : { text: null, calls };
      }
      const orders = recent.flatMap((orderId) => {
        const record = this.view.currentResult(
          'get_order_details',
          (args) => args.order_id === orderId,
        );
        const order =
          record?.result == null ? null : parseResult(OrderDetailsSchema, record.result);
        return order === null ? [] : [order];
      });
      if (orders.length === 0) return this.text(say.stuck(this.canTransfer));
      return then(orders, user.orders.length);
    });
  }

  private policy(question: string): Step {
    if (!this.tools.has('search_policies')) return this.text(say.cannotDoHere(this.canTransfer));
    const record = this.view.currentResult('search_policies');
    if (record === null) return this.call('search_policies', { query: buildSearchQuery(question) });
    const result = parseResult(PolicySearchResult, record.result ?? '');
    const top = result?.results[0];
    if (top === undefined) return this.text(say.noPolicyMatch(this.canTransfer));
    return this.text(say.policyAnswer(top, this.style));
  }

  private track(goal: Goal): Step {
    const orderId = this.goalOrderId(goal);
    if (orderId === null) {
      return this.withAccountOrders((orders) => {
        const moving = orders.filter((order) => order.status === 'processed');
        const open = orders.filter((order) => order.status !== 'cancelled');
        const choice = moving.length === 1 ? moving[0] : open.length === 1 ? open[0] : undefined;
        if (choice !== undefined) return this.trackOrder(choice.order_id);
        const listed = (moving.length > 1 ? moving : open).map((order) => ({
          orderId: order.order_id,
          order,
        }));
        if (listed.length === 0) return this.text(say.noOrders());
        return this.text(say.askWhichOrder(listed, 'track', this.style));
      });
    }
    return this.trackOrder(orderId);
  }

  private trackOrder(orderId: string): Step {
    if (!this.tools.has('track_shipment')) {
      return this.withOrderId(orderId, (order) => this.text(say.trackingFromOrder(order)));
    }
    const record = this.view.currentResult('track_shipment', (args) => args.order_id === orderId);
    if (record === null) return this.call('track_shipment', { order_id: orderId });
    const result = record.result ?? '';
    if (isErrorResult(result)) return this.text(say.orderLookupFailed(orderId, errorText(result)));
    const report = parseResult(TrackingReport, result);
    return report === null
      ? this.text(say.stuck(this.canTransfer))
      : this.text(say.trackingAnswer(report, this.style));
  }

  private warranty(goal: Goal): Step {
    if (!this.tools.has('check_warranty')) return this.policy(warrantyQuestion(goal));
    const orderId = this.goalOrderId(goal);
    if (orderId === null) {
      return this.withAccountOrders((orders) => {
        const delivered = orders.filter((order) => order.status !== 'cancelled');
        const byItems = delivered.filter((order) => resolvesByName(goal.texts.join(' '), order));
        const choice =
          byItems.length === 1 ? byItems[0] : delivered.length === 1 ? delivered[0] : undefined;
        if (choice !== undefined) return this.checkWarranty(goal, choice.order_id);
        const listed = (byItems.length > 1 ? byItems : delivered).map((order) => ({
          orderId: order.order_id,
          order,
        }));
        if (listed.length === 0) return this.text(say.noOrders());
        return this.text(say.askWhichOrder(listed, 'warranty', this.style));
      });
    }
    return this.checkWarranty(goal, orderId);
  }

  private checkWarranty(goal: Goal, orderId: string): Step {
    const record = this.view.currentResult('check_warranty', (args) => args.order_id === orderId);
    if (record === null) return this.call('check_warranty', { order_id: orderId });
    const result = record.result ?? '';
    if (isErrorResult(result)) return this.text(say.orderLookupFailed(orderId, errorText(result)));
    const report = parseResult(WarrantyReport, result);
    if (report === null) return this.text(say.stuck(this.canTransfer));
    const asItems = report.items.map((item) => ({
      name: item.name,
      product_id: '',
      item_id: item.item_id,
      price: 0,
      options: {},
    }));
    const named = resolveItems(goal.texts.join(' '), asItems);
    const wanted =
      named.kind === 'matched' && named.items.length < report.items.length
        ? report.items.filter((item) => named.items.some((match) => match.item_id === item.item_id))
        : report.items;
    return this.text(
      say.warrantyAnswer(report.order_id, wanted, customerFacingNote(report.note), this.style),
    );
  }

  private cancel(goal: Goal, order: OrderDetails): Step {
    if (order.status !== 'pending') return this.text(say.wrongStatus('cancel', order));
    const reason = this.latest(goal.texts, extractCancelReason);
    if (reason === null) return this.text(say.askCancelReason(order.order_id));
    return this.call('cancel_pending_order', { order_id: order.order_id, reason });
  }

  private isAccountAddressChange(goal: Goal): boolean {
    const text = goal.texts.join(' ');
    return (
      mentionsAccountAddress(text) &&
      !/\border\b/iu.test(text.replace(/#?\bW\s*\d/giu, '')) &&
      this.goalOrderId(goal) === null
    );
  }

  private changeAccountAddress(goal: Goal): Step {
    const address = this.latest(goal.texts, extractAddress);
    if (address === null) return this.text(say.askNewAddress(null));
    return this.call('modify_user_address', { user_id: this.verifiedUserId, ...address });
  }

  private changeAddress(goal: Goal, order: OrderDetails): Step {
    if (order.status !== 'pending') return this.text(say.wrongStatus('change_address', order));
    const typed = this.latest(goal.texts, extractAddress);
    if (typed !== null) return this.modifyAddress(order, typed);
    if (/\b(?:default|account|on file|profile|home)\b/iu.test(goal.texts.join(' '))) {
      return this.withUser((user) =>
        user.address === undefined
          ? this.text(say.askNewAddress(order.order_id))
          : this.modifyAddress(order, user.address),
      );
    }
    return this.text(say.askNewAddress(order.order_id));
  }

  private modifyAddress(order: OrderDetails, address: PostalAddress): Step {
    const current = order.address;
    if (
      current !== undefined &&
      current.address1.toLowerCase() === address.address1.toLowerCase() &&
      current.address2.toLowerCase() === address.address2.toLowerCase() &&
      current.zip === address.zip
    ) {
      return this.text(say.sameAddress(order.order_id));
    }
    return this.call('modify_pending_order_address', {
      order_id: order.order_id,
      address1: address.address1,
      address2: address.address2,
      city: address.city,
      state: address.state,
      country: address.country,
      zip: address.zip,
    });
  }

  private changePayment(goal: Goal, order: OrderDetails): Step {
    if (order.status !== 'pending') return this.text(say.wrongStatus('change_payment', order));
    return this.withUser((user) => {
      const current = currentPaymentMethodId(order);
      const others = Object.values(user.payment_methods).filter((method) => method.id !== current);
      const reference = this.latest(goal.texts, extractPaymentReference);
      if (reference === null) return this.text(say.askPaymentMethod(others, this.style));
      // "Another card" means any card but the one on the order.
      const wantsOther =
        /\b(?:different|another|other|new|second)\b/iu.test(goal.texts.join(' ')) &&
        reference.id === null;
      const resolution = resolvePaymentMethod(
        reference,
        wantsOther ? { ...user, payment_methods: withoutMethod(user, current) } : user,
      );
      if (resolution.kind === 'none') return this.text(say.askPaymentMethod(others, this.style));
      if (resolution.kind === 'ambiguous')
        return this.text(say.askPaymentMethod(resolution.candidates, this.style));
      if (resolution.method.id === current) return this.text(say.samePaymentMethod(order.order_id));
      return this.call('modify_pending_order_payment', {
        order_id: order.order_id,
        payment_method_id: resolution.method.id,
      });
    });
  }

  private changeItems(goal: Goal, order: OrderDetails): Step {
    const exchange = order.status === 'delivered';
    if (!exchange && order.status !== 'pending') {
      return this.text(
        say.wrongStatus(goal.intent === 'exchange' ? 'exchange' : 'change_items', order),
      );
    }
    const action = exchange ? 'exchange' : 'change';
    const text = goal.texts.join('\n');
    const items = resolveItems(text, order.items);
    const item = this.singleItem(items, order, action);
    if ('text' in item) return item;
    const product = this.view.currentResult(
      'get_product_details',
      (args) => args.product_id === item.product_id,
    );
    if (product === null) return this.call('get_product_details', { product_id: item.product_id });
    const details = parseResult(ProductDetails, product.result ?? '');
    if (details === null)
      return this.text(say.lookupFailed('look up that product', errorText(product.result ?? '')));
    const choice = chooseVariant(text, details, item);
    switch (choice.kind) {
      case 'no_change_requested':
        return this.text(say.askVariant(item, availableOptionValues(details), this.style));
      case 'unavailable':
        return this.text(say.variantUnavailable(item, choice.changes));
      case 'no_match':
        return this.text(say.variantNotOffered(item, choice.changes));
      case 'ambiguous':
        return this.text(say.askWhichVariant(item, choice.candidates, this.style));
      case 'chosen':
        return this.withPaymentFor(goal, order, (paymentMethodId) =>
          this.call(exchange ? 'exchange_delivered_order_items' : 'modify_pending_order_items', {
            order_id: order.order_id,
            item_ids: [item.item_id],
            new_item_ids: [choice.variant.item_id],
            payment_method_id: paymentMethodId,
          }),
        );
    }
  }

  private singleItem(
    items: ItemResolution,
    order: OrderDetails,
    action: string,
  ): OrderDetails['items'][number] | Step {
    if (items.kind === 'none') return this.text(say.askWhichItems(order, action, this.style));
    if (items.kind === 'ambiguous')
      return this.text(say.askWhichOfSimilarItems(items.candidates, action, this.style));
    const distinct = new Set(items.items.map((entry) => entry.item_id));
    if (distinct.size > 1) return this.text(say.oneItemAtATime());
    return items.items[0]!;
  }

  private returnItems(goal: Goal, order: OrderDetails): Step {
    if (order.status !== 'delivered') return this.text(say.wrongStatus('return', order));
    const items = resolveItems(goal.texts.join('\n'), order.items);
    if (items.kind === 'none') return this.text(say.askWhichItems(order, 'return', this.style));
    if (items.kind === 'ambiguous')
      return this.text(say.askWhichOfSimilarItems(items.candidates, 'return', this.style));
    return this.withPaymentFor(goal, order, (paymentMethodId) =>
      this.call('return_delivered_order_items', {
        order_id: order.order_id,
        item_ids: items.items.map((item) => item.item_id),
        payment_method_id: paymentMethodId,
      }),
    );
  }

  /**
   * The payment method for a price difference or refund: the one the customer named, else the order's original
   * payment method (what the customer paid with is where money goes back by default).
   */
  private withPaymentFor(
    goal: Goal,
    order: OrderDetails,
    then: (paymentMethodId: string) => Step,
  ): Step {
    const reference = this.latest(goal.texts, extractPaymentReference);
    const original = originalPaymentMethodId(order);
    if (reference === null) {
      return original === null
        ? this.withUser((user) =>
            this.text(say.askPaymentMethod(Object.values(user.payment_methods), this.style)),
          )
        : then(original);
    }
    return this.withUser((user) => {
      const resolution = resolvePaymentMethod(reference, user);
      if (resolution.kind === 'matched') return then(resolution.method.id);
      const candidates =
        resolution.kind === 'ambiguous'
          ? resolution.candidates
          : Object.values(user.payment_methods);
      return this.text(say.askPaymentMethod(candidates, this.style));
    });
  }

  // ── A person ────────────────────────────────────────────────────────────────────────────────────────────

  private transfer(): Step {
    if (!this.canTransfer) return this.text(say.cannotTransfer());
    return this.call(TRANSFER_TOOL, { summary: this.transferSummary() });
  }

  /** What the agent needs first: who, what was asked, which orders, and the customer's last words. */
  private transferSummary(): string {
    const who =
      this.verifiedUserId === null
        ? 'Customer not verified'
        : `Customer verified as ${this.verifiedUserId}`;
    const topics: string[] = [];
    const orders: string[] = [];
    this.view.userTurns.forEach((user, turn) => {
      const intent = this.intentAt(turn);
      if (isTaskIntent(intent) && !topics.includes(intent)) topics.push(intent);
      for (const id of extractOrderIds(user.text)) if (!orders.includes(id)) orders.push(id);
    });
    const recent = this.view.userTurns
      .slice(-3)
      .map((user) => `"${user.text.replace(/\s+/gu, ' ').trim().slice(0, 120)}"`)
      .join(' / ');
    const parts = [
      `${who}; asked for a person (offline assistant).`,
      topics.length > 0
        ? `Topics: ${topics.map((topic) => topic.replace(/_/gu, ' ')).join(', ')}.`
        : '',
      orders.length > 0 ? `Orders: ${orders.join(', ')}.` : '',
      recent === '' ? '' : `Last messages: ${recent}.`,
    ];
    return parts
      .filter((part) => part !== '')
      .join(' ')
      .slice(0, 600);
  }
}

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────────────────────

/** The customer's warranty question, with the word "warranty" added when they said "guarantee" or "covered". */
function warrantyQuestion(goal: Goal): string {
  const text = goal.texts[0] ?? '';
  return /\bwarrant/iu.test(text) ? text : `warranty ${text}`;
}

function wordCount(text: string): number {
  return text
    .trim()
    .split(/\s+/u)
    .filter((word) => word !== '').length;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** What the assistant's message asked, from the wording the templates (and the confirmation gate) use. */
function readQuestion(text: string): Question | null {
  if (text.trim() === '') return null;
  if (/^\s*please confirm\b/iu.test(text)) return 'confirmation';
  if (/connect you with a person|I can connect you/iu.test(text)) return 'person_offer';
  if (
    /verify your identity|double-check them|zip code on your account\?|could you give me your (?:email|full name)|and the zip code|your email address or full name, please/iu.test(
      text,
    )
  ) {
    return 'identity';
  }
  if (
    /which order would you like|give me the order number|which one would you like to know more about/iu.test(
      text,
    )
  )
    return 'order';
  if (/may I ask why/iu.test(text)) return 'reason';
  if (/what's the new address/iu.test(text)) return 'address';
  if (/which payment method would you like/iu.test(text)) return 'payment';
  if (
    /which item from order|which one would you like to (?:return|exchange|change)|one item at a time/iu.test(
      text,
    )
  )
    return 'item';
  if (
    /what would you like instead|which one would you like\?|would you like a different option/iu.test(
      text,
    )
  )
    return 'variant';
  if (/what should your avatar show/iu.test(text)) return 'avatar_description';
  if (text.includes(say.ANYTHING_ELSE) || /what can I (?:help you with|do for you)/iu.test(text))
    return 'anything_else';
  return null;
}

/** After "what should your avatar show?", anything but a no, a goodbye or a request for a person describes it. */
function answersAvatarQuestion(intent: Intent): boolean {
  return (
    intent !== 'deny' &&
    intent !== 'goodbye' &&
    intent !== 'thanks' &&
    intent !== 'talk_to_person' &&
    intent !== 'verify'
  );
}

function isSlotQuestion(question: Question | null): boolean {
  return (
    question === 'identity' ||
    question === 'order' ||
    question === 'reason' ||
    question === 'address' ||
    question === 'payment' ||
    question === 'item' ||
    question === 'variant' ||
    question === 'confirmation'
  );
}

/** Whether a message gives what the question asked for, so it continues the request even if it sounds like another. */
function answersQuestion(question: Question, text: string): boolean {
  switch (question) {
    case 'order':
      return extractOrderIds(text).length > 0 || extractOrdinal(text) !== null;
    case 'reason':
      return extractCancelReason(text) !== null;
    case 'address':
      return extractAddress(text) !== null;
    case 'payment':
      return extractPaymentReference(text) !== null;
    case 'identity':
      return hasIdentityDetails(text);
    case 'item':
    case 'variant':
      return wordCount(text) <= 8;
    default:
      return false;
  }
}

function hasIdentityDetails(text: string): boolean {
  return extractEmails(text).length > 0 || extractZip(text) !== null || extractName(text) !== null;
}

/** Details that move a request on even without a question: an order id, an address, a reason, a payment method. */
function carriesDetails(text: string): boolean {
  return (
    extractOrderIds(text).length > 0 ||
    extractAddress(text) !== null ||
    extractCancelReason(text) !== null ||
    extractPaymentReference(text) !== null ||
    hasIdentityDetails(text)
  );
}

/** Whether an order's status allows the request (item changes and exchanges go either way: see `changeItems`). */
function statusFits(intent: TaskIntent, status: string): boolean {
  switch (intent) {
    case 'cancel':
    case 'change_address':
    case 'change_payment':
      return status === 'pending';
    case 'change_items':
    case 'exchange':
      return status === 'pending' || status === 'delivered';
    case 'return':
      return status === 'delivered';
    default:
      return true;
  }
}

/** A tool's note when it is written for the customer; notes that direct the model ("use search_policies") are not. */
function customerFacingNote(note: string | undefined): string | null {
  if (note === undefined || /search_policies|\btool\b|\bthe model\b/iu.test(note)) return null;
  return note;
}

/** Whether the customer's words name one of the order's items ("the headphones"). */
function resolvesByName(text: string, order: OrderDetails): boolean {
  return namesAnyItem(text, order.items);
}

function withoutMethod(user: UserDetails, id: string | null): UserDetails['payment_methods'] {
  return Object.fromEntries(
    Object.entries(user.payment_methods).filter(([, method]) => method.id !== id),
  );
}

/** The method the order was paid with: its first payment. */
function originalPaymentMethodId(order: OrderDetails): string | null {
  return (
    order.payment_history.find((row) => row.transaction_type === 'payment')?.payment_method_id ??
    null
  );
}

/** The method the order is paid with now: its latest payment. */
function currentPaymentMethodId(order: OrderDetails): string | null {
  const payments = order.payment_history.filter((row) => row.transaction_type === 'payment');
  return payments[payments.length - 1]?.payment_method_id ?? null;
}

function requiredOf(schema: ToolSchema): string[] {
  const required = schema.parameters.required;
  return Array.isArray(required)
    ? required.filter((key): key is string => typeof key === 'string')
    : [];
}

function allowsNull(property: unknown): boolean {
  if (typeof property !== 'object' || property === null) return false;
  const node = property as Record<string, unknown>;
  if (node.type === 'null' || (Array.isArray(node.type) && node.type.includes('null'))) return true;
  const variants = [node.anyOf, node.oneOf].flatMap((list) =>
    Array.isArray(list) ? (list as unknown[]) : [],
  );
  return variants.some(allowsNull);
}

/**
 * Arguments that fit the tool's schema: the known values of its properties, null for a required property that
 * accepts null, and nothing else. Null when a required value is unknown.
 */
export function buildArguments(
  schema: ToolSchema,
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> | null {
  const properties = schema.parameters.properties;
  const known = Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined && value !== null),
  );
  if (typeof properties !== 'object' || properties === null) return known;
  const required = requiredOf(schema);
  const args: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(properties as Record<string, unknown>)) {
    if (key in known) args[key] = known[key];
    else if (required.includes(key)) {
      if (!allowsNull(property)) return null;
      args[key] = null;
    }
  }
  return args;
}

function callKey(name: string, args: Readonly<Record<string, unknown>>): string {
  const sorted = Object.keys(args)
    .sort()
    .map((key) => [key, args[key]]);
  return `${name}:${JSON.stringify(sorted)}`;
}
