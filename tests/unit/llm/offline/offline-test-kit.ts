import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  createConversationData,
  type ConversationData,
} from '../../../../src/conversation/conversation-state';
import type { ReplyPart } from '../../../../src/conversation/reply-parts';
import { TurnRunner, type TurnOutcome } from '../../../../src/conversation/turn-runner';
import { MiniSearchPolicySearch } from '../../../../src/knowledge/minisearch-policy-search';
import { loadPolicyLibrary } from '../../../../src/knowledge/policy-library';
import type { ChatMessage, ChatModel, ToolSchema } from '../../../../src/llm/chat-model';
import { ToolError } from '../../../../src/shared/errors';
import { silentLogger } from '../../../../src/shared/logger';
import {
  defineTool,
  type AnyToolDefinition,
  type ToolContext,
  type VerificationRule,
} from '../../../../src/tools/define-tool';
import { ToolRegistry } from '../../../../src/tools/registry';
import { createSearchPoliciesTool } from '../../../../src/tools/search-policies';

/**
 * A small shop for the offline model's dialogue tests: τ-bench's real retail records (read from
 * `../shared/tau-retail` at test time, never copied) behind in-memory tools with τ-bench's names, parameters
 * and answer shapes, the real ToolRegistry and TurnRunner (confirmation gate included), and the real policy
 * search over the built-in documents. Shipments and warranties are not in τ-bench's data: they are derived
 * here from each order's fulfilments with fixed, clearly fake dates.
 */

export const TAU_RETAIL_DIR = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  '..',
  'shared',
  'tau-retail',
);
export const TEST_NOW = new Date('2026-11-24T10:00:00.000Z');

export interface TauAddress {
  address1: string;
  address2: string;
  city: string;
  country: string;
  state: string;
  zip: string;
}

export interface TauUser {
  name: { first_name: string; last_name: string };
  address: TauAddress;
  email: string;
  payment_methods: Record<
    string,
    { source: string; id: string; brand?: string; last_four?: string; balance?: number }
  >;
  orders: string[];
}

export interface TauOrderItem {
  name: string;
  product_id: string;
  item_id: string;
  price: number;
  options: Record<string, string>;
}

export interface TauOrder {
  order_id: string;
  user_id: string;
  address: TauAddress;
  items: TauOrderItem[];
  fulfillments: { tracking_id: string[]; item_ids: string[] }[];
  status: string;
  payment_history: { transaction_type: string; amount: number; payment_method_id: string }[];
}

export interface TauProduct {
  name: string;
  product_id: string;
  variants: Record<
    string,
    { item_id: string; options: Record<string, string>; available: boolean; price: number }
  >;
}

export interface TauData {
  users: Record<string, TauUser>;
  orders: Record<string, TauOrder>;
  products: Record<string, TauProduct>;
}

let loaded: TauData | null = null;

/** A fresh, private copy of τ-bench's retail data (tests may change it through write tools). */
export function loadTauData(): TauData {
  loaded ??= {
    users: JSON.parse(
      readFileSync(path.join(TAU_RETAIL_DIR, 'users.json'), 'utf8'),
    ) as TauData['users'],
    orders: JSON.parse(
      readFileSync(path.join(TAU_RETAIL_DIR, 'orders.json'), 'utf8'),
    ) as TauData['orders'],
    products: JSON.parse(
      readFileSync(path.join(TAU_RETAIL_DIR, 'products.json'), 'utf8'),
    ) as TauData['products'],
  };
  return structuredClone(loaded);
}

/** The first order (in the file's order) that satisfies `accept`, with its customer. */
export function findOrder(
  data: TauData,
  accept: (order: TauOrder, user: TauUser) => boolean,
): { order: TauOrder; user: TauUser; userId: string } {
  for (const order of Object.values(data.orders)) {
    const user = data.users[order.user_id];
    if (user !== undefined && accept(order, user)) return { order, user, userId: order.user_id };
  }
  throw new Error('no order in the τ-bench data fits this test');
}

/** Items whose product name appears once in the order, so a test can name one without ambiguity. */
export function uniquelyNamedItems(order: TauOrder): TauOrderItem[] {
  return order.items.filter(
    (item) => order.items.filter((other) => other.name === item.name).length === 1,
  );
}

const Text = z.string().trim().min(1);

function ownOrder(data: TauData, context: ToolContext, orderId: string): TauOrder {
  const order = data.orders[orderId];
  if (context.customerId === null) throw new ToolError('the customer must be verified first');
  if (order === undefined || order.user_id !== context.customerId)
    throw new ToolError('order not found');
  return order;
}

function ownPaymentMethod(data: TauData, context: ToolContext, id: string): void {
  const user = context.customerId === null ? undefined : data.users[context.customerId];
  if (user?.payment_methods[id] === undefined) throw new ToolError('payment method not found');
}

function round(amount: number): number {
  return Math.round(amount * 100) / 100;
}

function addressInput() {
  return {
    address1: Text,
    address2: z.string(),
    city: Text,
    state: Text,
    country: Text,
    zip: Text,
  };
}

/** τ-bench's retail tools plus `track_shipment` and `check_warranty`, over `data`. */
export function createTauTools(data: TauData, rule: VerificationRule): AnyToolDefinition[] {
  const findByEmail =
    rule === 'identifier_and_zip'
      ? defineTool({
          name: 'find_user_id_by_email',
          description:
            "Verify the customer by their account's email and zip code. Returns their user id.",
          kind: 'identity',
          input: z.object({ email: Text, zip: Text }),
          execute: ({ email, zip }, context) => {
            const found = Object.entries(data.users).find(
              ([, user]) => user.email === email && user.address.zip === zip,
            );
            if (found === undefined) throw new ToolError('user not found');
            context.verifyCustomer(found[0]);
            return Promise.resolve(found[0]);
          },
        })
      : defineTool({
          name: 'find_user_id_by_email',
          description: "Verify the customer by their account's email. Returns their user id.",
          kind: 'identity',
          input: z.object({ email: Text }),
          execute: ({ email }, context) => {
            const found = Object.entries(data.users).find(([, user]) => user.email === email);
            if (found === undefined) throw new ToolError('user not found');
            context.verifyCustomer(found[0]);
            return Promise.resolve(found[0]);
          },
        });
  return [
    findByEmail,
    defineTool({
      name: 'find_user_id_by_name_zip',
      description:
        'Verify the customer by first name, last name and zip code. Returns their user id.',
      kind: 'identity',
      input: z.object({ first_name: Text, last_name: Text, zip: Text }),
      execute: ({ first_name, last_name, zip }, context) => {
        const found = Object.entries(data.users).find(
          ([, user]) =>
            user.name.first_name === first_name &&
            user.name.last_name === last_name &&
            user.address.zip === zip,
        );
        if (found === undefined) throw new ToolError('user not found');
        context.verifyCustomer(found[0]);
        return Promise.resolve(found[0]);
      },
    }),
    defineTool({
      name: 'get_user_details',
      description:
        "The verified customer's profile: name, address, email, payment methods, order ids.",
      kind: 'read',
      input: z.object({ user_id: Text }),
      execute: ({ user_id }, context) => {
        if (context.customerId === null || user_id !== context.customerId)
          throw new ToolError('user not found');
        return Promise.resolve(data.users[user_id]);
      },
    }),
    defineTool({
      name: 'get_order_details',
      description: "One of the verified customer's orders: items, status, fulfilments, payments.",
      kind: 'read',
      input: z.object({ order_id: Text }),
      execute: ({ order_id }, context) => Promise.resolve(ownOrder(data, context, order_id)),
    }),
    defineTool({
      name: 'get_product_details',
      description: 'A product and its variants: options, availability, price.',
      kind: 'read',
      input: z.object({ product_id: Text }),
      execute: ({ product_id }) => {
        const product = data.products[product_id];
        if (product === undefined) throw new ToolError('product not found');
        return Promise.resolve(product);
      },
    }),
    defineTool({
      name: 'track_shipment',
      description: "Track an order's parcels: carrier, status, estimated delivery, latest events.",
      kind: 'read',
      input: z.object({ order_id: Text }),
      execute: ({ order_id }, context) => {
        const order = ownOrder(data, context, order_id);
        const delivered = order.status !== 'processed' && order.status !== 'pending';
        const shipments = order.fulfillments.flatMap((fulfillment) =>
          fulfillment.tracking_id.map((trackingId) => ({
            tracking_id: trackingId,
            carrier: 'UPS',
            item_ids: fulfillment.item_ids,
            status: delivered ? 'delivered' : 'in_transit',
            estimated_delivery: delivered ? null : '2026-11-27',
            delivered_at: delivered ? '2026-11-20T15:12:00.000Z' : null,
            events: [
              {
                time: delivered ? '2026-11-20T15:12:00.000Z' : '2026-11-23T08:30:00.000Z',
                location: delivered ? 'Front door' : 'Louisville, KY',
                description: delivered ? 'Delivered' : 'Departed UPS facility',
              },
            ],
          })),
        );
        return Promise.resolve(
          shipments.length === 0
            ? {
                order_id,
                status: order.status,
                shipments,
                note: 'Not shipped yet: tracking appears once the order is processed.',
              }
            : { order_id, status: order.status, shipments },
        );
      },
    }),
    defineTool({
      name: 'check_warranty',
      description:
        "Warranty of an order's items: coverage months, end date, whether covered today, terms.",
      kind: 'read',
      input: z.object({ order_id: Text, item_id: Text.optional() }),
      execute: ({ order_id, item_id }, context) => {
        const order = ownOrder(data, context, order_id);
        const items = order.items
          .filter((item) => item_id === undefined || item.item_id === item_id)
          .map((item) => ({
            item_id: item.item_id,
            name: item.name,
            purchased_at: '2026-03-02',
            delivered_at: '2026-03-06',
            coverage_months: 24,
            coverage_ends: '2028-03-06',
            in_warranty: true,
            terms: 'Covers defects in materials and workmanship under normal use.',
          }));
        return Promise.resolve({ order_id, items });
      },
    }),
    defineTool({
      name: 'cancel_pending_order',
      description: 'Cancel a pending order. Reason: "no longer needed" or "ordered by mistake".',
      kind: 'write',
      input: z.object({
        order_id: Text,
        reason: z.enum(['no longer needed', 'ordered by mistake']),
      }),
      preview: ({ order_id, reason }, context) => {
        const order = ownOrder(data, context, order_id);
        if (order.status !== 'pending')
          throw new ToolError('non-pending order cannot be cancelled');
        return Promise.resolve({
          title: `Cancel order ${order_id}`,
          details: [`Reason: ${reason}`],
        });
      },
      execute: ({ order_id }, context) => {
        const order = ownOrder(data, context, order_id);
        if (order.status !== 'pending')
          throw new ToolError('non-pending order cannot be cancelled');
        const refunds = order.payment_history
          .filter((row) => row.transaction_type === 'payment')
          .map((row) => ({
            transaction_type: 'refund',
            amount: row.amount,
            payment_method_id: row.payment_method_id,
          }));
        order.payment_history.push(...refunds);
        order.status = 'cancelled';
        return Promise.resolve(order);
      },
    }),
    defineTool({
      name: 'return_delivered_order_items',
      description:
        'Return items of a delivered order; refund to the original payment method or a gift card.',
      kind: 'write',
      input: z.object({ order_id: Text, item_ids: z.array(Text).min(1), payment_method_id: Text }),
      preview: ({ order_id, item_ids, payment_method_id }, context) => {
        const order = ownOrder(data, context, order_id);
        if (order.status !== 'delivered')
          throw new ToolError('non-delivered order cannot be returned');
        ownPaymentMethod(data, context, payment_method_id);
        const names = item_ids.map((id) => {
          const item = order.items.find((candidate) => candidate.item_id === id);
          if (item === undefined) throw new ToolError('some item not found');
          return item.name;
        });
        return Promise.resolve({
          title: `Return ${names.join(', ')} from order ${order_id}`,
          details: [],
        });
      },
      execute: ({ order_id }, context) => {
        const order = ownOrder(data, context, order_id);
        order.status = 'return requested';
        return Promise.resolve(order);
      },
    }),
    defineTool({
      name: 'exchange_delivered_order_items',
      description: 'Exchange items of a delivered order for other variants of the same products.',
      kind: 'write',
      input: z.object({
        order_id: Text,
        item_ids: z.array(Text).min(1),
        new_item_ids: z.array(Text).min(1),
        payment_method_id: Text,
      }),
      preview: ({ order_id }, context) => {
        const order = ownOrder(data, context, order_id);
        if (order.status !== 'delivered')
          throw new ToolError('non-delivered order cannot be exchanged');
        return Promise.resolve({ title: `Exchange items of order ${order_id}`, details: [] });
      },
      execute: ({ order_id }, context) => {
        const order = ownOrder(data, context, order_id);
        order.status = 'exchange requested';
        return Promise.resolve(order);
      },
    }),
    defineTool({
      name: 'modify_pending_order_items',
      description: 'Change items of a pending order to other variants of the same products.',
      kind: 'write',
      input: z.object({
        order_id: Text,
        item_ids: z.array(Text).min(1),
        new_item_ids: z.array(Text).min(1),
        payment_method_id: Text,
      }),
      preview: ({ order_id }, context) => {
        const order = ownOrder(data, context, order_id);
        if (order.status !== 'pending') throw new ToolError('non-pending order cannot be modified');
        return Promise.resolve({ title: `Change items of order ${order_id}`, details: [] });
      },
      execute: ({ order_id, item_ids, new_item_ids, payment_method_id }, context) => {
        const order = ownOrder(data, context, order_id);
        let difference = 0;
        item_ids.forEach((itemId, index) => {
          const item = order.items.find((candidate) => candidate.item_id === itemId);
          const product = item === undefined ? undefined : data.products[item.product_id];
          const variant = product?.variants[new_item_ids[index] ?? ''];
          if (item === undefined || variant === undefined)
            throw new ToolError('new item not found');
          difference += variant.price - item.price;
          item.item_id = variant.item_id;
          item.price = variant.price;
          item.options = variant.options;
        });
        if (difference !== 0) {
          order.payment_history.push({
            transaction_type: difference > 0 ? 'payment' : 'refund',
            amount: round(Math.abs(difference)),
            payment_method_id,
          });
        }
        order.status = 'pending (item modified)';
        return Promise.resolve(order);
      },
    }),
    defineTool({
      name: 'modify_pending_order_address',
      description: 'Change the shipping address of a pending order.',
      kind: 'write',
      input: z.object({ order_id: Text, ...addressInput() }),
      preview: ({ order_id }, context) => {
        const order = ownOrder(data, context, order_id);
        if (order.status !== 'pending') throw new ToolError('non-pending order cannot be modified');
        return Promise.resolve({ title: `Change the address of order ${order_id}`, details: [] });
      },
      execute: ({ order_id, ...address }, context) => {
        const order = ownOrder(data, context, order_id);
        order.address = address;
        return Promise.resolve(order);
      },
    }),
    defineTool({
      name: 'modify_pending_order_payment',
      description: 'Change the payment method of a pending order.',
      kind: 'write',
      input: z.object({ order_id: Text, payment_method_id: Text }),
      preview: ({ order_id, payment_method_id }, context) => {
        const order = ownOrder(data, context, order_id);
        if (order.status !== 'pending') throw new ToolError('non-pending order cannot be modified');
        ownPaymentMethod(data, context, payment_method_id);
        return Promise.resolve({ title: `Change the payment of order ${order_id}`, details: [] });
      },
      execute: ({ order_id, payment_method_id }, context) => {
        const order = ownOrder(data, context, order_id);
        const paid = order.payment_history[0];
        if (paid !== undefined) {
          order.payment_history.push(
            { transaction_type: 'payment', amount: paid.amount, payment_method_id },
            {
              transaction_type: 'refund',
              amount: paid.amount,
              payment_method_id: paid.payment_method_id,
            },
          );
        }
        return Promise.resolve(order);
      },
    }),
    defineTool({
      name: 'transfer_to_human_agents',
      description:
        'Hand the conversation to a person. Use when the customer asks for one or you cannot help.',
      kind: 'handoff',
      input: z.object({ summary: Text }),
      execute: ({ summary }, context) => {
        context.requestHandoff({ summary });
        return Promise.resolve('Transfer successful');
      },
    }),
  ];
}

let policySearch: MiniSearchPolicySearch | null = null;

/** The real `search_policies` tool over the built-in policy documents. */
export async function createPolicyTool(): Promise<AnyToolDefinition> {
  policySearch ??= new MiniSearchPolicySearch(await loadPolicyLibrary());
  return createSearchPoliciesTool({ search: policySearch });
}

/** The tool schemas a model is offered, generated by the real registry. */
export async function toolSchemas(rule: VerificationRule): Promise<ToolSchema[]> {
  const tools = [...createTauTools(loadTauData(), rule), await createPolicyTool()];
  return new ToolRegistry(tools).schemas();
}

export interface TurnResult {
  /** The assistant's complete messages this turn, in order. */
  messages: string[];
  /** Every reply part of the turn. */
  parts: ReplyPart[];
  outcome: TurnOutcome;
}

/**
 * One conversation through the real TurnRunner: each `send` is one customer turn. Write tools stop at the
 * confirmation gate exactly as in production; `send('yes')` confirms.
 */
export class Conversation {
  data: ConversationData = createConversationData();
  readonly tauData: TauData;
  private readonly runner: TurnRunner;

  constructor(options: {
    model: ChatModel;
    rule?: VerificationRule;
    tauData?: TauData;
    tools: AnyToolDefinition[];
  }) {
    this.tauData = options.tauData ?? loadTauData();
    this.runner = new TurnRunner({
      model: options.model,
      tools: new ToolRegistry(options.tools),
      logger: silentLogger(),
      now: () => TEST_NOW,
      options: {
        assistantName: 'Ava',
        companyName: 'Acme',
        verificationRule: options.rule ?? 'identifier_and_zip',
        turnDeadlineMs: 20_000,
        toolRoundsMax: 8,
        historyTokenBudget: 6_000,
      },
    });
  }

  static async create(options: {
    model: ChatModel;
    rule?: VerificationRule;
    tauData?: TauData;
  }): Promise<Conversation> {
    const tauData = options.tauData ?? loadTauData();
    const rule = options.rule ?? 'identifier_and_zip';
    const tools = [...createTauTools(tauData, rule), await createPolicyTool()];
    return new Conversation({ ...options, rule, tauData, tools });
  }

  async send(text: string): Promise<TurnResult> {
    const parts: ReplyPart[] = [];
    const outcome = await this.runner.run(
      { text, modality: 'text', conversationId: 'conversation-1', channelId: 'webchat' },
      this.data,
      (part) => {
        parts.push(part);
      },
    );
    this.data = outcome.data;
    const messages = parts.flatMap((part) => (part.type === 'message' ? [part.text] : []));
    return { messages, parts, outcome };
  }

  /** Names of the tools called, in order, across the whole conversation. */
  toolCalls(): { name: string; arguments: Record<string, unknown> }[] {
    return this.data.history.flatMap((message: ChatMessage) =>
      message.role === 'assistant'
        ? (message.toolCalls ?? []).map((call) => ({
            name: call.name,
            arguments: JSON.parse(call.arguments) as Record<string, unknown>,
          }))
        : [],
    );
  }
}

/** A message list as the turn runner builds it: the system prompt, then the history. */
export function withSystemPrompt(
  history: ChatMessage[],
  customerId: string | null = null,
): ChatMessage[] {
  const identity =
    customerId === null
      ? 'The customer is not verified yet.'
      : `The customer is verified as user id ${customerId}. Do not ask them to verify again.`;
  return [
    { role: 'system', content: `You are Ava, the after-sales assistant of Acme.\n${identity}` },
    ...history,
  ];
}
