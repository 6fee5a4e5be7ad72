import { z } from 'zod';
import {
  createConversationData,
  type ConversationData,
} from '../../../src/conversation/conversation-state';
import type { ReplyPart } from '../../../src/conversation/reply-parts';
import {
  MESSAGES,
  TOOL_RESULT_VERIFICATION_LOCKED,
  TurnRunner,
  VERIFICATION_FAILURES_MAX,
  type TurnInput,
} from '../../../src/conversation/turn-runner';
import { AppError, ToolError } from '../../../src/shared/errors';
import { silentLogger } from '../../../src/shared/logger';
import { defineTool } from '../../../src/tools/define-tool';
import { ToolRegistry } from '../../../src/tools/registry';
import { ScriptedChatModel, toolCall, type ScriptedStep } from '../../helpers/scripted-chat-model';

interface FixtureOrder {
  id: string;
  owner: string;
  status: string;
}

/** A tiny order book with one tool of each kind, enough to exercise the loop and the confirmation gate. */
function createFixture() {
  const orders = new Map<string, FixtureOrder>([
    ['#W0000001', { id: '#W0000001', owner: 'ann_1', status: 'pending' }],
    ['#W0000002', { id: '#W0000002', owner: 'ann_1', status: 'delivered' }],
    ['#W0000003', { id: '#W0000003', owner: 'bob_2', status: 'pending' }],
  ]);
  const cancelCalls: string[] = [];
  const OrderInput = z.object({ order_id: z.string() });
  const ownOrder = (orderId: string, customerId: string | null) => {
    if (customerId === null) throw new ToolError('the customer must be verified first');
    const order = orders.get(orderId);
    if (order === undefined || order.owner !== customerId) throw new ToolError('order not found');
    return order;
  };
  const tools = [
    defineTool({
      name: 'find_user_id_by_email',
      description: 'Find the user id by email.',
      kind: 'identity',
      input: z.object({ email: z.string() }),
      execute: async ({ email }, context) => {
        const id = { 'ann@example.com': 'ann_1', 'bob@example.com': 'bob_2' }[email];
        if (id === undefined) throw new ToolError('user not found');
        context.verifyCustomer(id);
        return id;
      },
    }),
    defineTool({
      name: 'get_order_details',
      description: 'Get an order.',
      kind: 'read',
      input: OrderInput,
      execute: async ({ order_id }, context) => ({ ...ownOrder(order_id, context.customerId) }),
    }),
    defineTool({
      name: 'cancel_pending_order',
      description: 'Cancel a pending order.',
      kind: 'write',
      input: z.object({
        order_id: z.string(),
        reason: z.enum(['no longer needed', 'ordered by mistake']),
      }),
      preview: async ({ order_id, reason }, context) => {
        const order = ownOrder(order_id, context.customerId);
        if (order.status !== 'pending')
          throw new ToolError('non-pending order cannot be cancelled');
        return { title: `Cancel order ${order_id}`, details: [`Reason: ${reason}`] };
      },
      execute: async ({ order_id }, context) => {
        const order = ownOrder(order_id, context.customerId);
        if (order.status !== 'pending')
          throw new ToolError('non-pending order cannot be cancelled');
        order.status = 'cancelled';
        cancelCalls.push(order_id);
        return { ...order };
      },
    }),
    defineTool({
      name: 'transfer_to_human_agents',
      description: 'Hand over to a person.',
      kind: 'handoff',
      input: z.object({ summary: z.string() }),
      execute: async ({ summary }, context) => {
        context.requestHandoff({ summary });
        return 'Transfer successful';
      },
    }),
  ];
  return { orders, cancelCalls, registry: new ToolRegistry(tools) };
}

function createRunner(
  steps: ScriptedStep[],
  options: { now?: () => Date; turnDeadlineMs?: number } = {},
) {
  const fixture = createFixture();
  const model = new ScriptedChatModel(steps);
  const runner = new TurnRunner({
    model,
    tools: fixture.registry,
    logger: silentLogger(),
    now: options.now,
    options: {
      assistantName: 'Ava',
      companyName: 'Contoso',
      verificationRule: 'email_or_name_and_zip',
      turnDeadlineMs: options.turnDeadlineMs ?? 5_000,
      toolRoundsMax: 4,
      historyTokenBudget: 3_000,
    },
  });
  return { ...fixture, model, runner };
}

const input = (text: string | null, extra: Partial<TurnInput> = {}): TurnInput => ({
  text,
  modality: 'text',
  conversationId: 'conv-1',
  channelId: 'test',
  ...extra,
});

async function runTurn(runner: TurnRunner, turnInput: TurnInput, data: ConversationData) {
  const parts: ReplyPart[] = [];
  const outcome = await runner.run(turnInput, data, (part) => {
    parts.push(part);
  });
  return {
    ...outcome,
    parts,
    messages: parts.filter((part) => part.type === 'message').map((part) => part.text),
  };
}

const verified = (): ConversationData => ({ ...createConversationData(), customerId: 'ann_1' });

describe('TurnRunner', () => {
  it('returns the model answer, streams its deltas and records usage when no tool is called', async () => {
    const { runner } = createRunner([{ text: 'Hello! How can I help with your order?' }]);

    const turn = await runTurn(runner, input('hi'), createConversationData());

    expect(turn.status).toBe('answered');
    expect(turn.messages).toEqual(['Hello! How can I help with your order?']);
    const streamed = turn.parts
      .filter((part) => part.type === 'text-delta')
      .map((part) => part.text);
    expect(streamed.join('')).toBe('Hello! How can I help with your order?');
    expect(turn.data.usage).toEqual({
      promptTokens: 10,
      completionTokens: 5,
      totalTokens: 15,
      turns: 1,
    });
    expect(turn.data.history.map((message) => message.role)).toEqual(['user', 'assistant']);
  });

  it('removes card details before the model and the history see them, and says so once', async () => {
    const { runner, model } = createRunner([{ text: 'Thanks.' }, { text: 'Noted.' }]);
    const typed = 'pay with 4111 1111 1111 1111 exp 12/29 cvv 123 please';

    const first = await runTurn(runner, input(typed), createConversationData());
    const second = await runTurn(runner, input('my other card is 5555-5555-5555-4444'), first.data);

    const sentToModel = JSON.stringify(model.requests.map((request) => request.messages));
    const stored = JSON.stringify(second.data.history);
    for (const secret of [
      '4111 1111 1111 1111',
      '4111111111111111',
      '12/29',
      '123 please',
      '5555-5555-5555-4444',
    ]) {
      expect(sentToModel).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
    expect(stored).toContain('[card ending 1111]');
    expect(stored).toContain('[card ending 4444]');
    expect(first.messages).toEqual([MESSAGES.cardNotice, 'Thanks.']);
    expect(second.messages).toEqual(['Noted.']);
  });

  it('leaves order ids, zip codes and phone numbers alone', async () => {
    const { runner, model } = createRunner([{ text: 'OK.' }]);
    const typed = 'order #W4821001, zip 80211, phone 303-555-0147, tracking 123456789012';

    const turn = await runTurn(runner, input(typed), createConversationData());

    expect(model.requests[0]!.messages.at(-1)).toEqual({ role: 'user', content: typed });
    expect(turn.messages).toEqual(['OK.']);
  });

  it('feeds tool results back to the model and shows what it is doing while tools run', async () => {
    const { runner, model } = createRunner([
      { toolCalls: [toolCall('get_order_details', { order_id: '#W0000002' })] },
      { text: 'Your order #W0000002 was delivered.' },
    ]);

    const turn = await runTurn(runner, input('where is #W0000002?'), verified());

    expect(turn.parts).toContainEqual({ type: 'status', text: 'Looking up order #W0000002…' });
    expect(turn.parts).toContainEqual({
      type: 'order',
      order: { id: '#W0000002', owner: 'ann_1', status: 'delivered' },
    });
    const toolMessage = model.requests[1]!.messages.at(-1)!;
    expect(toolMessage).toMatchObject({ role: 'tool', name: 'get_order_details' });
    expect(JSON.parse((toolMessage as { content: string }).content)).toMatchObject({
      status: 'delivered',
    });
    expect(turn.messages).toEqual(['Your order #W0000002 was delivered.']);
  });

  it('sends the verified customer and the tools to the model, and verification is set by code only', async () => {
    const { runner, model } = createRunner([
      { toolCalls: [toolCall('find_user_id_by_email', { email: 'ann@example.com' })] },
      { text: 'Thanks, you are verified.' },
    ]);

    const turn = await runTurn(runner, input('ann@example.com'), createConversationData());

    expect(turn.data.customerId).toBe('ann_1');
    expect(model.requests[0]!.tools.map((tool) => tool.name)).toContain('cancel_pending_order');
    expect(model.requests[0]!.messages[0]!.content).toContain('not verified yet');
    expect(model.requests[1]!.messages[0]!.content).toContain('verified as user id ann_1');
  });

  it('refuses to switch a verified conversation to another customer', async () => {
    const { runner } = createRunner([
      { toolCalls: [toolCall('find_user_id_by_email', { email: 'bob@example.com' })] },
      { text: 'I cannot switch accounts here.' },
    ]);

    const turn = await runTurn(runner, input('I am bob@example.com now'), verified());

    expect(turn.data.customerId).toBe('ann_1');
    const result = turn.data.history.find((message) => message.role === 'tool');
    expect(result?.content).toMatch(/^Error: this conversation is already verified/);
  });

  it('stops running identity tools after too many failed checks, even for the right details', async () => {
    const guesses = Array.from({ length: VERIFICATION_FAILURES_MAX }, (_, index) =>
      toolCall('find_user_id_by_email', { email: `guess${index}@example.com` }),
    );
    const { runner } = createRunner([
      { toolCalls: [...guesses, toolCall('find_user_id_by_email', { email: 'bob@example.com' })] },
      { text: 'I could not verify you.' },
    ]);

    const turn = await runTurn(runner, input('try every email'), createConversationData());

    expect(turn.data.customerId).toBeNull();
    expect(turn.data.verificationFailures).toBe(VERIFICATION_FAILURES_MAX);
    const results = turn.data.history.filter((message) => message.role === 'tool');
    expect(results.at(-1)?.content).toBe(TOOL_RESULT_VERIFICATION_LOCKED);
    expect(turn.toolRuns).toHaveLength(VERIFICATION_FAILURES_MAX);
  });

  it('keeps counting failed identity checks across turns', async () => {
    const { runner } = createRunner([
      {
        toolCalls: Array.from({ length: VERIFICATION_FAILURES_MAX }, (_, index) =>
          toolCall('find_user_id_by_email', { email: `guess${index}@example.com` }),
        ),
      },
      { text: 'None of those worked.' },
      { toolCalls: [toolCall('find_user_id_by_email', { email: 'ann@example.com' })] },
      { text: 'Verification is closed here.' },
    ]);

    const first = await runTurn(runner, input('try these'), createConversationData());
    const second = await runTurn(runner, input('I am ann@example.com'), first.data);

    expect(second.data.customerId).toBeNull();
    expect(second.toolRuns).toEqual([]);
  });

  it('verifies after a few typos', async () => {
    const { runner } = createRunner([
      {
        toolCalls: [
          ...Array.from({ length: VERIFICATION_FAILURES_MAX - 1 }, (_, index) =>
            toolCall('find_user_id_by_email', { email: `ann${index}@example.com` }),
          ),
          toolCall('find_user_id_by_email', { email: 'ann@example.com' }),
        ],
      },
      { text: 'Found you.' },
    ]);

    const turn = await runTurn(runner, input('ann@example.com'), createConversationData());

    expect(turn.data.customerId).toBe('ann_1');
  });

  it('ends the turn with a confirmation and changes nothing when the model asks for a write', async () => {
    const { runner, orders, cancelCalls } = createRunner([
      {
        toolCalls: [
          toolCall('cancel_pending_order', { order_id: '#W0000001', reason: 'no longer needed' }),
        ],
      },
    ]);

    const turn = await runTurn(runner, input('cancel #W0000001, I no longer need it'), verified());

    expect(turn.status).toBe('awaiting_confirmation');
    expect(cancelCalls).toEqual([]);
    expect(orders.get('#W0000001')!.status).toBe('pending');
    const confirmation = turn.parts.find((part) => part.type === 'confirmation');
    expect(confirmation).toMatchObject({
      toolName: 'cancel_pending_order',
      summary: { title: 'Cancel order #W0000001', details: ['Reason: no longer needed'] },
    });
    expect(turn.data.pendingConfirmation?.id).toBe((confirmation as { id: string }).id);
  });

  it('runs the previewed change after an explicit yes and lets the model word the result', async () => {
    const { runner, model, cancelCalls } = createRunner([
      {
        toolCalls: [
          toolCall('cancel_pending_order', { order_id: '#W0000001', reason: 'no longer needed' }),
        ],
      },
      { text: 'Done: order #W0000001 is cancelled.' },
    ]);
    const first = await runTurn(runner, input('cancel #W0000001'), verified());

    const second = await runTurn(runner, input('yes please'), first.data);

    expect(cancelCalls).toEqual(['#W0000001']);
    expect(second.data.pendingConfirmation).toBeNull();
    const lastRequest = model.requests.at(-1)!.messages;
    expect(JSON.parse((lastRequest.at(-1) as { content: string }).content)).toMatchObject({
      status: 'cancelled',
    });
    expect(second.messages).toEqual(['Done: order #W0000001 is cancelled.']);
  });

  it('runs the change when the confirmation button with the matching id is pressed', async () => {
    const { runner, cancelCalls } = createRunner([
      {
        toolCalls: [
          toolCall('cancel_pending_order', { order_id: '#W0000001', reason: 'ordered by mistake' }),
        ],
      },
      { text: 'Cancelled.' },
    ]);
    const first = await runTurn(runner, input('cancel #W0000001'), verified());
    const id = first.data.pendingConfirmation!.id;

    await runTurn(runner, input(null, { confirmation: { id, decision: 'yes' } }), first.data);

    expect(cancelCalls).toEqual(['#W0000001']);
  });

  it.each([
    ['no', 'Error: the customer declined this change'],
    ['yes, but cancel the other order instead', 'Error: the customer did not confirm this change'],
  ])('changes nothing when the customer answers "%s"', async (answer, expectedResult) => {
    const { runner, model, cancelCalls } = createRunner([
      {
        toolCalls: [
          toolCall('cancel_pending_order', { order_id: '#W0000001', reason: 'no longer needed' }),
        ],
      },
      { text: 'Alright, I left it as it is.' },
    ]);
    const first = await runTurn(runner, input('cancel #W0000001'), verified());

    const second = await runTurn(runner, input(answer), first.data);

    expect(cancelCalls).toEqual([]);
    expect(second.data.pendingConfirmation).toBeNull();
    expect((model.requests.at(-1)!.messages.at(-1) as { content: string }).content).toContain(
      expectedResult,
    );
  });

  it('refuses a stale or repeated confirmation button without calling the model', async () => {
    const { runner, model, cancelCalls } = createRunner([
      {
        toolCalls: [
          toolCall('cancel_pending_order', { order_id: '#W0000001', reason: 'no longer needed' }),
        ],
      },
      { text: 'Cancelled.' },
    ]);
    const first = await runTurn(runner, input('cancel #W0000001'), verified());
    const id = first.data.pendingConfirmation!.id;
    const second = await runTurn(
      runner,
      input(null, { confirmation: { id, decision: 'yes' } }),
      first.data,
    );
    const requestsBefore = model.requests.length;

    const repeated = await runTurn(
      runner,
      input(null, { confirmation: { id, decision: 'yes' } }),
      second.data,
    );
    const forged = await runTurn(
      runner,
      input(null, { confirmation: { id: 'made-up', decision: 'yes' } }),
      verified(),
    );

    expect(cancelCalls).toEqual(['#W0000001']);
    expect(repeated.messages).toEqual([MESSAGES.staleConfirmation]);
    expect(forged.messages).toEqual([MESSAGES.staleConfirmation]);
    expect(model.requests.length).toBe(requestsBefore);
  });

  it('does not take a yes as consent once the confirmation has expired', async () => {
    let now = new Date('2026-11-24T10:00:00Z');
    const { runner, cancelCalls } = createRunner(
      [
        {
          toolCalls: [
            toolCall('cancel_pending_order', { order_id: '#W0000001', reason: 'no longer needed' }),
          ],
        },
        { text: 'That request expired; shall I ask again?' },
      ],
      { now: () => now },
    );
    const first = await runTurn(runner, input('cancel #W0000001'), verified());
    now = new Date('2026-11-24T11:00:00Z');

    await runTurn(runner, input('yes'), first.data);

    expect(cancelCalls).toEqual([]);
  });

  it('tells the model why a change cannot be made instead of asking the customer to confirm it', async () => {
    const { runner, model } = createRunner([
      {
        toolCalls: [
          toolCall('cancel_pending_order', { order_id: '#W0000002', reason: 'no longer needed' }),
        ],
      },
      { text: 'That order was already delivered, so it cannot be cancelled.' },
    ]);

    const turn = await runTurn(runner, input('cancel #W0000002'), verified());

    expect(turn.status).toBe('answered');
    expect(turn.parts.some((part) => part.type === 'confirmation')).toBe(false);
    expect((model.requests[1]!.messages.at(-1) as { content: string }).content).toBe(
      'Error: non-pending order cannot be cancelled',
    );
  });

  it("answers another customer's order exactly like a missing one", async () => {
    const { runner, model } = createRunner([
      {
        toolCalls: [
          toolCall('get_order_details', { order_id: '#W0000003' }),
          toolCall('get_order_details', { order_id: '#W9999999' }),
        ],
      },
      { text: 'I could not find those orders.' },
    ]);

    await runTurn(runner, input('show #W0000003 and #W9999999'), verified());

    const results = model.requests[1]!.messages.filter((message) => message.role === 'tool');
    expect(results.map((message) => message.content)).toEqual([
      'Error: order not found',
      'Error: order not found',
    ]);
  });

  it('puts only one change to the customer at a time', async () => {
    const { runner, model } = createRunner([
      {
        toolCalls: [
          toolCall('cancel_pending_order', { order_id: '#W0000001', reason: 'no longer needed' }),
          toolCall('cancel_pending_order', { order_id: '#W0000002', reason: 'no longer needed' }),
        ],
      },
    ]);

    const turn = await runTurn(runner, input('cancel both'), verified());

    const results = turn.data.history
      .filter((message) => message.role === 'tool')
      .map((message) => message.content);
    expect(results[0]).toMatch(/^Not run yet: the customer is being asked to confirm/);
    expect(results[1]).toMatch(/^Error: not run: only one change/);
    expect(model.remainingSteps).toBe(0);
  });

  it('records a handoff request when the model transfers to people', async () => {
    const { runner } = createRunner([
      {
        toolCalls: [toolCall('transfer_to_human_agents', { summary: 'Wants a refund exception' })],
      },
      { text: 'A colleague will be with you shortly.' },
    ]);

    const turn = await runTurn(runner, input('I want to talk to a person'), verified());

    expect(turn.handoff).toMatchObject({ summary: 'Wants a refund exception' });
    expect(turn.data.handoffRequests).toHaveLength(1);
  });

  it('answers calmly and forgets the refused message when the content filter blocks the prompt', async () => {
    const filtered = new AppError('model_content_filtered', 'filtered', { expected: true });
    const { runner } = createRunner([{ throws: filtered }]);

    const turn = await runTurn(runner, input('something the filter refuses'), verified());

    expect(turn.status).toBe('content_filtered');
    expect(turn.messages).toEqual([MESSAGES.contentFiltered]);
    expect(JSON.stringify(turn.data.history)).not.toContain('something the filter refuses');
  });

  it('blanks the tool results of a turn whose prompt the filter refused, so later turns are not refused again', async () => {
    const filtered = new AppError('model_content_filtered', 'filtered', { expected: true });
    const { runner, model } = createRunner([
      { toolCalls: [toolCall('get_order_details', { order_id: '#W0000002' })] },
      { throws: filtered },
      { text: 'Happy to help.' },
    ]);

    const first = await runTurn(runner, input('tell me about #W0000002'), verified());
    await runTurn(runner, input('and my other order?'), first.data);

    expect(first.status).toBe('content_filtered');
    const sentNext = JSON.stringify(model.requests[2]!.messages);
    expect(sentNext).not.toContain('delivered');
    expect(sentNext).toContain('get_order_details');
  });

  it('does not present a filtered completion as an answer', async () => {
    const { runner } = createRunner([{ text: 'half an ans', finishReason: 'content_filter' }]);

    const turn = await runTurn(runner, input('hello'), verified());

    expect(turn.messages).toEqual([MESSAGES.contentFiltered]);
    expect(JSON.stringify(turn.data.history)).not.toContain('half an ans');
  });

  it('apologises and counts the failure when the model is unavailable', async () => {
    const { runner } = createRunner([{ throws: new AppError('model_unavailable', 'down') }]);

    const turn = await runTurn(runner, input('hello'), verified());

    expect(turn.status).toBe('failed');
    expect(turn.messages).toEqual([MESSAGES.modelUnavailable]);
    expect(turn.data.consecutiveFailures).toBe(1);
  });

  it('stops at the turn deadline with a clear message', async () => {
    const slow: ScriptedStep = (request) =>
      new Promise((_resolve, reject) => {
        request.signal?.addEventListener('abort', () =>
          reject(new AppError('turn_cancelled', 'aborted', { expected: true })),
        );
      });
    const { runner } = createRunner([slow], { turnDeadlineMs: 50 });

    const turn = await runTurn(runner, input('hello'), verified());

    expect(turn.messages).toEqual([MESSAGES.deadline]);
  });

  it('ends a turn the customer stopped silently, without counting it as a failure', async () => {
    const stop = new AbortController();
    const stoppedWhileWriting: ScriptedStep = (request) =>
      new Promise((_resolve, reject) => {
        request.signal?.addEventListener('abort', () =>
          reject(new AppError('turn_cancelled', 'aborted', { expected: true })),
        );
        stop.abort();
      });
    const { runner } = createRunner([stoppedWhileWriting]);
    const state = { ...verified(), consecutiveFailures: 1 };

    const turn = await runTurn(runner, { ...input('hello'), signal: stop.signal }, state);

    expect(turn.status).toBe('failed');
    expect(turn.messages).toEqual([]);
    expect(turn.data.consecutiveFailures).toBe(1);
  });

  it('stops after the round limit when the model keeps calling tools', async () => {
    const again = { toolCalls: [toolCall('get_order_details', { order_id: '#W0000002' })] };
    const { runner } = createRunner([again, again, again, again]);

    const turn = await runTurn(runner, input('loop'), verified());

    expect(turn.status).toBe('failed');
    expect(turn.messages).toEqual([MESSAGES.tooManySteps]);
  });

  it('leaves the state it was given untouched', async () => {
    const { runner } = createRunner([{ text: 'Hi' }]);
    const before = verified();
    const snapshot = structuredClone(before);

    await runTurn(runner, input('hello'), before);

    expect(before).toEqual(snapshot);
  });
});
