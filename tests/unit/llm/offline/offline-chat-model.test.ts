import type { ChatMessage, Completion, ToolSchema } from '../../../../src/llm/chat-model';
import { chunkText, OfflineChatModel } from '../../../../src/llm/offline/offline-chat-model';
import { AppError } from '../../../../src/shared/errors';
import { ToolRegistry } from '../../../../src/tools/registry';
import {
  Conversation,
  createPolicyTool,
  findOrder,
  loadTauData,
  toolSchemas,
  uniquelyNamedItems,
  withSystemPrompt,
  type TauData,
  type TauOrder,
} from './offline-test-kit';

const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

let emailOnlyTools: ToolSchema[];
let emailAndZipTools: ToolSchema[];
let data: TauData;

beforeAll(async () => {
  emailOnlyTools = await toolSchemas('email_or_name_and_zip');
  emailAndZipTools = await toolSchemas('identifier_and_zip');
  data = loadTauData();
  await new OfflineChatModel().warmUp();
});

function createModel(): OfflineChatModel {
  let next = 0;
  return new OfflineChatModel({ createCallId: () => `call_${(next += 1)}` });
}

/** A history builder: messages in the shape the turn runner stores them. */
class History {
  readonly messages: ChatMessage[] = [];
  private callNumber = 0;

  user(text: string): this {
    this.messages.push({ role: 'user', content: text });
    return this;
  }

  assistant(text: string): this {
    this.messages.push({ role: 'assistant', content: text });
    return this;
  }

  /** An assistant tool call and its result. */
  tool(name: string, args: Record<string, unknown>, result: unknown): this {
    const id = `history_${(this.callNumber += 1)}`;
    this.messages.push({
      role: 'assistant',
      content: null,
      toolCalls: [{ id, name, arguments: JSON.stringify(args) }],
    });
    this.messages.push({
      role: 'tool',
      toolCallId: id,
      name,
      content: typeof result === 'string' ? result : JSON.stringify(result),
    });
    return this;
  }

  /** A verified start: the customer gave their email and the lookup answered their user id. */
  verified(email: string, userId: string): this {
    return this.user(`my email is ${email}`).tool('find_user_id_by_email', { email }, userId);
  }

  /** Appends the results of a completion's calls, as the turn runner does after running the tools. */
  results(completion: Completion, outputs: unknown[]): this {
    this.messages.push({
      role: 'assistant',
      content: completion.text,
      toolCalls: completion.toolCalls,
    });
    completion.toolCalls.forEach((call, index) => {
      const output = outputs[index];
      this.messages.push({
        role: 'tool',
        toolCallId: call.id,
        name: call.name,
        content: typeof output === 'string' ? output : JSON.stringify(output),
      });
    });
    return this;
  }
}

function callsOf(completion: Completion): { name: string; arguments: unknown }[] {
  return completion.toolCalls.map((call) => ({
    name: call.name,
    arguments: JSON.parse(call.arguments) as unknown,
  }));
}

async function complete(
  messages: ChatMessage[],
  tools: ToolSchema[],
  options: { onTextDelta?: (delta: string) => void; signal?: AbortSignal } = {},
): Promise<Completion> {
  return createModel().complete({ messages: withSystemPrompt(messages), tools, ...options });
}

function money(amount: number): string {
  return USD.format(amount);
}

describe('OfflineChatModel: identity', () => {
  it('greets as the offline assistant and asks for the verification details the tools need', async () => {
    const deltas: string[] = [];
    const completion = await complete(new History().user('hi').messages, emailAndZipTools, {
      onTextDelta: (delta) => deltas.push(delta),
    });
    expect(completion.toolCalls).toEqual([]);
    expect(completion.finishReason).toBe('stop');
    expect(completion.model).toBe('offline');
    expect(completion.usage).toBeNull();
    expect(completion.text).toMatch(/offline assistant/u);
    expect(completion.text).toMatch(/email address or full name, together with the zip code/u);
    expect(deltas.join('')).toBe(completion.text);
  });

  it('verifies by email alone when the email tool takes only an email', async () => {
    const completion = await complete(
      new History().user('hello, my email is Ava.Moore6020@example.com').messages,
      emailOnlyTools,
    );
    expect(callsOf(completion)).toEqual([
      { name: 'find_user_id_by_email', arguments: { email: 'ava.moore6020@example.com' } },
    ]);
    expect(completion.finishReason).toBe('tool_calls');
  });

  it('asks for the zip code when the email tool requires it, then verifies with both', async () => {
    const history = new History().user('ava.moore6020@example.com');
    const asked = await complete(history.messages, emailAndZipTools);
    expect(asked.toolCalls).toEqual([]);
    expect(asked.text).toMatch(/zip code/u);

    history.assistant(asked.text ?? '').user('78234');
    const verified = await complete(history.messages, emailAndZipTools);
    expect(callsOf(verified)).toEqual([
      {
        name: 'find_user_id_by_email',
        arguments: { email: 'ava.moore6020@example.com', zip: '78234' },
      },
    ]);
  });

  it('verifies by full name and zip code', async () => {
    const history = new History()
      .user('hi')
      .assistant('Hi! Could you give me your email address, or your full name and zip code?');
    history.user('yusuf rossi, 19122');
    const completion = await complete(history.messages, emailOnlyTools);
    expect(callsOf(completion)).toEqual([
      {
        name: 'find_user_id_by_name_zip',
        arguments: { first_name: 'Yusuf', last_name: 'Rossi', zip: '19122' },
      },
    ]);
  });

  it('says the details did not match when the lookup answers user not found, without retrying them', async () => {
    const history = new History()
      .user('nobody@example.com 12345')
      .tool(
        'find_user_id_by_email',
        { email: 'nobody@example.com', zip: '12345' },
        'Error: user not found',
      );
    const completion = await complete(history.messages, emailAndZipTools);
    expect(completion.toolCalls).toEqual([]);
    expect(completion.text).toMatch(/couldn't find an account/u);
  });

  it('asks for verification before looking up any order', async () => {
    const completion = await complete(
      new History().user("what's the status of order #W2378156?").messages,
      emailAndZipTools,
    );
    expect(completion.toolCalls).toEqual([]);
    expect(completion.text).toMatch(/verify your identity/u);
  });

  it('continues the request that was waiting once verification succeeds', async () => {
    const history = new History()
      .user('where is my order #W2378156?')
      .assistant(
        'I can help with that. First I need to verify your identity: could you give me your email address or full name, together with the zip code on your account?',
      )
      .user('yusuf.rossi7301@example.com 19122')
      .tool(
        'find_user_id_by_email',
        { email: 'yusuf.rossi7301@example.com', zip: '19122' },
        'yusuf_rossi_9620',
      );
    const completion = await complete(history.messages, emailAndZipTools);
    expect(callsOf(completion)).toEqual([
      { name: 'track_shipment', arguments: { order_id: '#W2378156' } },
    ]);
  });
});

describe('OfflineChatModel: orders', () => {
  it('looks up an order typed without "#" and with spaces, and answers from the tool result', async () => {
    const order = data.orders['#W2378156']!;
    const user = data.users[order.user_id]!;
    const history = new History()
      .verified(user.email, order.user_id)
      .user("what's the status of order w 237 8156?");
    const first = await complete(history.messages, emailOnlyTools);
    expect(callsOf(first)).toEqual([
      { name: 'get_order_details', arguments: { order_id: '#W2378156' } },
    ]);

    history.results(first, [order]);
    const answer = await complete(history.messages, emailOnlyTools);
    expect(answer.toolCalls).toEqual([]);
    expect(answer.text).toContain('#W2378156');
    expect(answer.text).toMatch(
      order.status === 'delivered' ? /delivered/u : new RegExp(order.status, 'u'),
    );
    for (const item of order.items) {
      expect(answer.text).toContain(item.name);
      expect(answer.text).toContain(money(item.price));
    }
    const total = order.items.reduce((sum, item) => sum + item.price, 0);
    expect(answer.text).toContain(money(Math.round(total * 100) / 100));
  });

  it('says it cannot find an order the tool does not know, inventing nothing', async () => {
    const history = new History()
      .verified('yusuf.rossi7301@example.com', 'yusuf_rossi_9620')
      .user('status of #W0000001');
    const first = await complete(history.messages, emailOnlyTools);
    history.results(first, ['Error: order not found']);
    const answer = await complete(history.messages, emailOnlyTools);
    expect(answer.toolCalls).toEqual([]);
    expect(answer.text).toMatch(/couldn't find order #W0000001/u);
  });

  it('apologises instead of answering when a result is not the order JSON it expects', async () => {
    const history = new History()
      .verified('yusuf.rossi7301@example.com', 'yusuf_rossi_9620')
      .user('status of #W2378156');
    const first = await complete(history.messages, emailOnlyTools);
    history.results(first, [
      '{"order_id": "#W2378156", "items": [… [shortened; call the tool again for details]',
    ]);
    const answer = await complete(history.messages, emailOnlyTools);
    expect(answer.toolCalls).toEqual([]);
    expect(answer.text).toMatch(/Sorry, I couldn't finish that/u);
    expect(answer.text).not.toContain('delivered');
  });

  it('falls back to the tracking numbers on the order when track_shipment is not offered', async () => {
    const { order, user, userId } = findOrder(
      data,
      (candidate) => candidate.status === 'processed',
    );
    const tools = emailOnlyTools.filter((tool) => tool.name !== 'track_shipment');
    const history = new History()
      .verified(user.email, userId)
      .user(`where is my package ${order.order_id}?`);
    const first = await complete(history.messages, tools);
    expect(callsOf(first)).toEqual([
      { name: 'get_order_details', arguments: { order_id: order.order_id } },
    ]);
    history.results(first, [order]);
    const answer = await complete(history.messages, tools);
    for (const trackingId of order.fulfillments.flatMap((fulfillment) => fulfillment.tracking_id)) {
      expect(answer.text).toContain(trackingId);
    }
  });

  it('words a shipment with its carrier, status, estimated delivery and latest event', async () => {
    const history = new History()
      .verified('james.li4495@example.com', 'james_li_5688')
      .user('track #W2611340');
    const first = await complete(history.messages, emailOnlyTools);
    history.results(first, [
      {
        order_id: '#W2611340',
        status: 'processed',
        shipments: [
          {
            tracking_id: '357962501027',
            carrier: 'UPS',
            item_ids: ['6469567736', '8426249116'],
            status: 'out_for_delivery',
            estimated_delivery: '2026-11-25',
            delivered_at: null,
            events: [
              {
                time: '2026-11-25T07:02:00.000Z',
                location: 'Brooklyn, NY',
                description: 'Out for delivery',
              },
            ],
          },
        ],
      },
    ]);
    const answer = await complete(history.messages, emailOnlyTools);
    expect(answer.text).toContain('UPS parcel 357962501027 is out for delivery');
    expect(answer.text).toContain('expected November 25, 2026');
    expect(answer.text).toContain('Out for delivery in Brooklyn, NY');
  });

  it('answers in sentences without lists in a phone call', async () => {
    const order = data.orders['#W2378156']!;
    const history = new History()
      .verified(data.users[order.user_id]!.email, order.user_id)
      .user('status of #W2378156');
    const messages = (): ChatMessage[] => [
      {
        role: 'system',
        content:
          'You are Ava. This is a phone call: answer in one to three short spoken sentences.',
      },
      ...history.messages,
    ];
    const model = createModel();
    const first = await model.complete({ messages: messages(), tools: emailOnlyTools });
    history.results(first, [order]);
    const answer = await model.complete({ messages: messages(), tools: emailOnlyTools });
    expect(answer.text).not.toMatch(/^- /mu);
    expect(answer.text).not.toContain('\n');
    expect(answer.text).toContain(order.items[0]!.name);
  });
});

describe('OfflineChatModel: changes', () => {
  function pendingOrder(): { order: TauOrder; email: string; userId: string } {
    const { order, user, userId } = findOrder(data, (candidate) => candidate.status === 'pending');
    return { order, email: user.email, userId };
  }

  it('cancels with the reason the customer gave, after reading the order', async () => {
    const { order, email, userId } = pendingOrder();
    const history = new History()
      .verified(email, userId)
      .user(`please cancel ${order.order_id}, I ordered it by mistake`);
    const first = await complete(history.messages, emailOnlyTools);
    expect(callsOf(first)).toEqual([
      { name: 'get_order_details', arguments: { order_id: order.order_id } },
    ]);
    history.results(first, [order]);
    const second = await complete(history.messages, emailOnlyTools);
    expect(callsOf(second)).toEqual([
      {
        name: 'cancel_pending_order',
        arguments: { order_id: order.order_id, reason: 'ordered by mistake' },
      },
    ]);
  });

  it('asks for the reason before cancelling, then cancels with it', async () => {
    const { order, email, userId } = pendingOrder();
    const history = new History().verified(email, userId).user(`cancel ${order.order_id}`);
    const first = await complete(history.messages, emailOnlyTools);
    history.results(first, [order]);
    const asked = await complete(history.messages, emailOnlyTools);
    expect(asked.toolCalls).toEqual([]);
    expect(asked.text).toMatch(/no longer needed, or was it ordered by mistake/u);

    history.assistant(asked.text ?? '').user("I just don't need it anymore");
    const again = await complete(history.messages, emailOnlyTools);
    history.results(again, [order]);
    const cancel = await complete(history.messages, emailOnlyTools);
    expect(callsOf(cancel)).toEqual([
      {
        name: 'cancel_pending_order',
        arguments: { order_id: order.order_id, reason: 'no longer needed' },
      },
    ]);
  });

  it('does not ask to cancel an order that has left the warehouse', async () => {
    const { order, user, userId } = findOrder(
      data,
      (candidate) => candidate.status === 'processed',
    );
    const history = new History()
      .verified(user.email, userId)
      .user(`cancel ${order.order_id} no longer needed`);
    const first = await complete(history.messages, emailOnlyTools);
    history.results(first, [order]);
    const answer = await complete(history.messages, emailOnlyTools);
    expect(answer.toolCalls).toEqual([]);
    expect(answer.text).toMatch(/can't be changed any more/u);
  });

  it('words a confirmed cancellation from the changed order, with the refund', async () => {
    const { order, email, userId } = pendingOrder();
    const cancelled = {
      ...order,
      status: 'cancelled',
      payment_history: [
        ...order.payment_history,
        ...order.payment_history.map((row) => ({ ...row, transaction_type: 'refund' })),
      ],
    };
    const args = { order_id: order.order_id, reason: 'no longer needed' };
    const history = new History()
      .verified(email, userId)
      .user(`cancel ${order.order_id}, no longer needed`)
      .tool('get_order_details', { order_id: order.order_id }, order)
      .tool(
        'cancel_pending_order',
        args,
        'Not run yet: the customer is being asked to confirm this exact change. Nothing has changed.',
      )
      .assistant(`Please confirm: Cancel order ${order.order_id}.`)
      .user('Yes')
      .tool('cancel_pending_order', args, cancelled);
    const answer = await complete(history.messages, emailOnlyTools);
    expect(answer.toolCalls).toEqual([]);
    expect(answer.text).toContain(`order ${order.order_id} is cancelled`);
    expect(answer.text).toContain(`refund of ${money(order.payment_history[0]!.amount)}`);
  });

  it('says nothing changed when the customer declined, and words any other refusal gracefully', async () => {
    const { order, email, userId } = pendingOrder();
    const args = { order_id: order.order_id, reason: 'no longer needed' };
    const base = (): History =>
      new History()
        .verified(email, userId)
        .user(`cancel ${order.order_id}, no longer needed`)
        .tool(
          'cancel_pending_order',
          args,
          'Not run yet: the customer is being asked to confirm this exact change.',
        )
        .assistant(`Please confirm: Cancel order ${order.order_id}.`);
    const declined = await complete(
      base()
        .user('No')
        .tool(
          'cancel_pending_order',
          args,
          'Error: the customer declined this change. Nothing was changed.',
        ).messages,
      emailOnlyTools,
    );
    expect(declined.text).toMatch(/haven't changed anything/u);

    const refused = await complete(
      base()
        .user('Yes')
        .tool('cancel_pending_order', args, 'Error: non-pending order cannot be cancelled')
        .messages,
      emailOnlyTools,
    );
    expect(refused.toolCalls).toEqual([]);
    expect(refused.text).toMatch(
      /couldn't cancel the order: non-pending order cannot be cancelled/u,
    );
  });

  it('returns the item the customer named, to the original payment method', async () => {
    const { order, user, userId } = findOrder(
      data,
      (candidate) => candidate.status === 'delivered' && uniquelyNamedItems(candidate).length >= 2,
    );
    const item = uniquelyNamedItems(order)[1]!;
    const history = new History()
      .verified(user.email, userId)
      .user(`I'd like to return the ${item.name.toLowerCase()} from ${order.order_id}`);
    const first = await complete(history.messages, emailOnlyTools);
    expect(callsOf(first)).toEqual([
      { name: 'get_order_details', arguments: { order_id: order.order_id } },
    ]);
    history.results(first, [order]);
    const second = await complete(history.messages, emailOnlyTools);
    expect(callsOf(second)).toEqual([
      {
        name: 'return_delivered_order_items',
        arguments: {
          order_id: order.order_id,
          item_ids: [item.item_id],
          payment_method_id: order.payment_history[0]!.payment_method_id,
        },
      },
    ]);
  });

  it('asks which item to return when the words name none, listing the order', async () => {
    const { order, user, userId } = findOrder(
      data,
      (candidate) => candidate.status === 'delivered' && candidate.items.length >= 2,
    );
    const history = new History()
      .verified(user.email, userId)
      .user(`I want to return something from ${order.order_id}`);
    const first = await complete(history.messages, emailOnlyTools);
    history.results(first, [order]);
    const answer = await complete(history.messages, emailOnlyTools);
    expect(answer.toolCalls).toEqual([]);
    expect(answer.text).toMatch(/Which item from order/u);
    for (const item of order.items) expect(answer.text).toContain(item.name);
  });

  it('exchanges for the variant the customer named, read from the product details', async () => {
    // The expected answer: an available variant that differs from the customer's shirt in size only.
    const sizeOnlyAlternative = (order: TauOrder) => {
      const shirts = order.items.filter((item) => item.name === 'T-Shirt');
      const shirt = shirts[0];
      if (shirts.length !== 1 || shirt === undefined) return undefined;
      const target = Object.values(data.products[shirt.product_id]!.variants).find(
        (variant) =>
          variant.available &&
          variant.options.size !== shirt.options.size &&
          ['color', 'material', 'style'].every(
            (key) => variant.options[key] === shirt.options[key],
          ),
      );
      return target === undefined ? undefined : { shirt, target };
    };
    const { order, user, userId } = findOrder(
      data,
      (candidate) =>
        candidate.status === 'delivered' && sizeOnlyAlternative(candidate) !== undefined,
    );
    const { shirt, target } = sizeOnlyAlternative(order)!;
    const product = data.products[shirt.product_id]!;
    const history = new History()
      .verified(user.email, userId)
      .user(`can I exchange the t-shirt from ${order.order_id} for size ${target.options.size}?`);
    const first = await complete(history.messages, emailOnlyTools);
    history.results(first, [order]);
    const second = await complete(history.messages, emailOnlyTools);
    expect(callsOf(second)).toEqual([
      { name: 'get_product_details', arguments: { product_id: shirt.product_id } },
    ]);
    history.results(second, [product]);
    const third = await complete(history.messages, emailOnlyTools);
    expect(callsOf(third)).toEqual([
      {
        name: 'exchange_delivered_order_items',
        arguments: {
          order_id: order.order_id,
          item_ids: [shirt.item_id],
          new_item_ids: [target.item_id],
          payment_method_id: order.payment_history[0]!.payment_method_id,
        },
      },
    ]);
  });
});

describe('OfflineChatModel: more changes', () => {
  it('changes the shipping address of a pending order to the address typed in one line', async () => {
    const { order, user, userId } = findOrder(data, (candidate) => candidate.status === 'pending');
    const history = new History()
      .verified(user.email, userId)
      .user(`please ship ${order.order_id} to 742 Evergreen Terrace, Apt 2, Springfield, IL 62704`);
    const first = await complete(history.messages, emailOnlyTools);
    history.results(first, [order]);
    const change = await complete(history.messages, emailOnlyTools);
    expect(callsOf(change)).toEqual([
      {
        name: 'modify_pending_order_address',
        arguments: {
          order_id: order.order_id,
          address1: '742 Evergreen Terrace',
          address2: 'Apt 2',
          city: 'Springfield',
          state: 'IL',
          country: 'USA',
          zip: '62704',
        },
      },
    ]);
  });

  it('switches a pending order to the PayPal account on file', async () => {
    const { order, user, userId } = findOrder(
      data,
      (candidate, owner) =>
        candidate.status === 'pending' &&
        candidate.payment_history.length === 1 &&
        !candidate.payment_history[0]!.payment_method_id.startsWith('paypal') &&
        Object.values(owner.payment_methods).filter((method) => method.source === 'paypal')
          .length === 1,
    );
    const paypal = Object.values(user.payment_methods).find(
      (method) => method.source === 'paypal',
    )!;
    const history = new History()
      .verified(user.email, userId)
      .user(`I'd rather pay for ${order.order_id} with PayPal`);
    const first = await complete(history.messages, emailOnlyTools);
    history.results(first, [order]);
    const second = await complete(history.messages, emailOnlyTools);
    expect(callsOf(second)).toEqual([{ name: 'get_user_details', arguments: { user_id: userId } }]);
    history.results(second, [user]);
    const change = await complete(history.messages, emailOnlyTools);
    expect(callsOf(change)).toEqual([
      {
        name: 'modify_pending_order_payment',
        arguments: { order_id: order.order_id, payment_method_id: paypal.id },
      },
    ]);
  });

  it("lists the customer's orders and then opens the one they point at", async () => {
    const { user, userId } = findOrder(data, (_order, owner) => owner.orders.length >= 3);
    const history = new History().verified(user.email, userId).user('show me my orders');
    const account = await complete(history.messages, emailOnlyTools);
    expect(callsOf(account)).toEqual([
      { name: 'get_user_details', arguments: { user_id: userId } },
    ]);
    history.results(account, [user]);
    const lookups = await complete(history.messages, emailOnlyTools);
    const looked = lookups.toolCalls.map(
      (call) => (JSON.parse(call.arguments) as { order_id: string }).order_id,
    );
    expect(new Set(looked)).toEqual(new Set(user.orders.slice(-5)));
    history.results(
      lookups,
      looked.map((id) => data.orders[id]),
    );
    const overview = await complete(history.messages, emailOnlyTools);
    expect(overview.toolCalls).toEqual([]);
    const listed = overview.text?.match(/#W\d{7}/gu) ?? [];
    expect(listed.length).toBe(looked.length);

    history.assistant(overview.text ?? '').user('the second one');
    const picked = await complete(history.messages, emailOnlyTools);
    expect(callsOf(picked)).toEqual([
      { name: 'get_order_details', arguments: { order_id: listed[1] } },
    ]);
  });
});

describe('OfflineChatModel: conversation', () => {
  it('says it is the offline assistant and offers a person when it does not understand', async () => {
    const completion = await complete(
      new History().user('what is the capital of France?').messages,
      emailOnlyTools,
    );
    expect(completion.toolCalls).toEqual([]);
    expect(completion.text).toMatch(/offline assistant/u);
    expect(completion.text).toMatch(/connect you with a person/u);
  });

  it('hands over to a person after a yes to its offer, with a summary of the conversation', async () => {
    const history = new History()
      .verified('yusuf.rossi7301@example.com', 'yusuf_rossi_9620')
      .user('return #W2378156 please')
      .assistant('Which item from order #W2378156 would you like to return?')
      .user('the flux capacitor thing, ugh')
      .assistant("Sorry, I couldn't finish that. Would you like me to connect you with a person?")
      .user('yes please');
    const completion = await complete(history.messages, emailOnlyTools);
    expect(completion.toolCalls.map((call) => call.name)).toEqual(['transfer_to_human_agents']);
    const { summary } = JSON.parse(completion.toolCalls[0]!.arguments) as { summary: string };
    expect(summary).toContain('yusuf_rossi_9620');
    expect(summary).toContain('#W2378156');
    expect(summary).toContain('return');
  });

  it('transfers straight away when the customer asks for a person, and confirms it afterwards', async () => {
    const history = new History().user('I want to speak to a real person');
    const first = await complete(history.messages, emailOnlyTools);
    expect(first.toolCalls.map((call) => call.name)).toEqual(['transfer_to_human_agents']);
    history.results(first, ['Transfer successful']);
    const answer = await complete(history.messages, emailOnlyTools);
    expect(answer.text).toMatch(/colleague/u);
  });

  it('answers a policy question from the top passage, naming the document and section', async () => {
    const policyTool = await createPolicyTool();
    const registry = new ToolRegistry([policyTool]);
    const history = new History().user('how long does a refund to my credit card take?');
    const first = await complete(history.messages, emailOnlyTools);
    expect(first.toolCalls.map((call) => call.name)).toEqual(['search_policies']);
    const context = {
      customerId: null,
      verificationRule: 'identifier_and_zip' as const,
      verifyCustomer: () => undefined,
      requestHandoff: () => undefined,
      conversationId: 'c',
      channelId: 'webchat',
      now: () => new Date(),
    };
    const result = await registry.run(first.toolCalls[0]!, context);
    const top = (JSON.parse(result.output) as { results: { title: string; section: string }[] })
      .results[0]!;
    history.results(first, [result.output]);
    const answer = await complete(history.messages, emailOnlyTools);
    expect(answer.text).toContain(`"${top.title}" policy (${top.section})`);
  });

  it('handles a plain yes or no with no question open', async () => {
    const yes = await complete(new History().user('yes').messages, emailOnlyTools);
    expect(yes.text).toMatch(/What can I help you with/u);
    const no = await complete(
      new History()
        .user('thanks')
        .assistant("You're welcome! Is there anything else I can help with?")
        .user('no').messages,
      emailOnlyTools,
    );
    expect(no.text).toMatch(/Have a great day/u);
  });

  it('throws turn_cancelled without answering when the turn was cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      complete(new History().user('hi').messages, emailOnlyTools, { signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'turn_cancelled',
    });
    await expect(
      complete(new History().user('hi').messages, emailOnlyTools, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(AppError);
  });

  it('reports ready from probe once trained', async () => {
    await expect(createModel().probe()).resolves.toMatchObject({ ok: true });
  });

  it('streams text in fragments that join back to the whole', () => {
    const text =
      'Order #W2378156 has been delivered. Items: Headphones, Vacuum Cleaner and a Smart Watch, $1,234.56.';
    const chunks = chunkText(text);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(text);
  });
});

describe('OfflineChatModel through the turn runner', () => {
  it('verifies with email and zip, then answers an order status from the store', async () => {
    const conversation = await Conversation.create({
      model: createModel(),
      rule: 'identifier_and_zip',
    });
    const { order, user } = findOrder(
      conversation.tauData,
      (candidate) => candidate.status === 'delivered',
    );
    await conversation.send('hi');
    const askedZip = await conversation.send(`my email is ${user.email}`);
    expect(askedZip.messages.join(' ')).toMatch(/zip code/u);
    const verified = await conversation.send(`it's ${user.address.zip}`);
    expect(verified.messages.join(' ')).toMatch(/verified/u);
    const status = await conversation.send(`what's the status of ${order.order_id}?`);
    expect(status.messages.join(' ')).toContain(`Order ${order.order_id} has been delivered`);
    expect(status.parts.some((part) => part.type === 'order')).toBe(true);
    expect(conversation.data.customerId).toBe(order.user_id);
  });

  it('returns the named item only after the customer confirms, and the order changes', async () => {
    const conversation = await Conversation.create({
      model: createModel(),
      rule: 'email_or_name_and_zip',
    });
    const { order, user } = findOrder(
      conversation.tauData,
      (candidate) => candidate.status === 'delivered' && uniquelyNamedItems(candidate).length >= 2,
    );
    const item = uniquelyNamedItems(order)[0]!;
    await conversation.send(`${user.name.first_name} ${user.name.last_name} ${user.address.zip}`);
    const asked = await conversation.send(
      `return the ${item.name.toLowerCase()} from ${order.order_id}`,
    );
    expect(asked.outcome.status).toBe('awaiting_confirmation');
    expect(conversation.tauData.orders[order.order_id]!.status).toBe('delivered');

    const done = await conversation.send('yes');
    expect(conversation.tauData.orders[order.order_id]!.status).toBe('return requested');
    expect(done.messages.join(' ')).toContain(`refund of ${money(item.price)}`);
    const returned = conversation
      .toolCalls()
      .filter((call) => call.name === 'return_delivered_order_items');
    expect(returned.at(-1)?.arguments).toEqual({
      order_id: order.order_id,
      item_ids: [item.item_id],
      payment_method_id: order.payment_history[0]!.payment_method_id,
    });
  });

  it('cancels a pending order the customer picks from the list, and leaves it alone after a no', async () => {
    const conversation = await Conversation.create({
      model: createModel(),
      rule: 'email_or_name_and_zip',
    });
    const { user } = findOrder(
      conversation.tauData,
      (_order, owner) =>
        owner.orders.filter((id) => conversation.tauData.orders[id]?.status === 'pending').length >=
        2,
    );
    const pendingIds = user.orders.filter(
      (id) => conversation.tauData.orders[id]!.status === 'pending',
    );
    await conversation.send(user.email);
    const listed = await conversation.send('I need to cancel an order, I no longer need it');
    for (const id of pendingIds) expect(listed.messages.join(' ')).toContain(id);

    const chosen = pendingIds[0]!;
    const asked = await conversation.send(chosen);
    expect(asked.outcome.status).toBe('awaiting_confirmation');
    const declined = await conversation.send('no');
    expect(declined.messages.join(' ')).toMatch(/haven't changed anything/u);
    expect(conversation.tauData.orders[chosen]!.status).toBe('pending');
  });
});
