import {
  compactHistory,
  countMessageTokens,
  countTokensOf,
  fitHistory,
  keepRecentTurns,
} from '../../../src/conversation/history-budget';
import { countTokens } from 'gpt-tokenizer';
import type { ChatMessage } from '../../../src/llm/chat-model';

/** A turn as the loop writes it: the customer, a tool call, its (large) result, and the answer. */
function turn(index: number, toolOutputCharacters = 2_000): ChatMessage[] {
  const id = `call_${index}`;
  return [
    { role: 'user', content: `Question number ${index} about order #W000000${index % 10}` },
    {
      role: 'assistant',
      content: null,
      toolCalls: [{ id, name: 'get_order_details', arguments: '{"order_id":"#W0000001"}' }],
    },
    {
      role: 'tool',
      toolCallId: id,
      name: 'get_order_details',
      content: `{"items":"${'x y '.repeat(toolOutputCharacters / 4)}"}`,
    },
    { role: 'assistant', content: `Answer number ${index}.` },
  ];
}

function assertCallsHaveResults(messages: ChatMessage[]): void {
  const callIds = messages.flatMap((message) =>
    message.role === 'assistant' ? (message.toolCalls ?? []).map((call) => call.id) : [],
  );
  const resultIds = messages.flatMap((message) =>
    message.role === 'tool' ? [message.toolCallId] : [],
  );
  expect(resultIds.sort()).toEqual(callIds.sort());
}

describe('fitHistory', () => {
  it('keeps everything when the history fits the budget', () => {
    const history = [...turn(1, 40), ...turn(2, 40)];

    expect(fitHistory(history, { budgetTokens: 10_000 })).toEqual(history);
  });

  it('stays within the budget over a long conversation and keeps tool calls with their results', () => {
    const history = Array.from({ length: 30 }, (_, index) => turn(index)).flat();

    const kept = fitHistory(history, { budgetTokens: 2_500 });

    expect(countTokensOf(kept)).toBeLessThanOrEqual(2_500);
    expect(kept[0]!.role).toBe('user');
    expect(kept.slice(-4)).toEqual(history.slice(-4));
    assertCallsHaveResults(kept);
  });

  it('shortens tool output of older turns before dropping them', () => {
    const history = [...turn(1), ...turn(2), ...turn(3)];

    const kept = fitHistory(history, { budgetTokens: 100_000 });

    expect(kept).toHaveLength(history.length);
    expect(kept[2]!.content).toContain('[shortened; call the tool again for details]');
    expect(kept[6]).toEqual(history[6]);
    expect(kept[10]).toEqual(history[10]);
  });

  it('keeps the current turn whole even when it alone is over budget', () => {
    const history = [...turn(1), ...turn(2, 20_000)];

    expect(fitHistory(history, { budgetTokens: 10 })).toEqual(history.slice(4));
  });
});

describe('compactHistory', () => {
  it('shortens the tool output of older turns and keeps every word of the customer and the assistant', () => {
    const history = Array.from({ length: 6 }, (_, index) => turn(index)).flat();

    const stored = compactHistory(history);

    expect(stored).toHaveLength(history.length);
    const olderToolOutput = stored
      .slice(0, -8)
      .filter((message) => message.role === 'tool')
      .map((message) => message.content.length);
    expect(olderToolOutput).toHaveLength(4);
    expect(Math.max(...olderToolOutput)).toBeLessThan(400);
    expect(stored.slice(-8)).toEqual(history.slice(-8));
    const words = (messages: typeof history) =>
      messages.filter((message) => message.role !== 'tool').map((message) => message.content);
    expect(words(stored)).toEqual(words(history));
    assertCallsHaveResults(stored);
  });

  it('leaves the model the same prompt, and compacting again changes nothing', () => {
    const history = Array.from({ length: 12 }, (_, index) => turn(index)).flat();
    const stored = compactHistory(history);

    expect(fitHistory(stored, { budgetTokens: 1_200 })).toEqual(
      fitHistory(history, { budgetTokens: 1_200 }),
    );
    expect(compactHistory(stored)).toEqual(stored);
  });
});

describe('countMessageTokens', () => {
  it('counts a tool call with its id and the wrapper it travels in', () => {
    const call = turn(1)[1]!;
    const [toolCall] = call.role === 'assistant' ? (call.toolCalls ?? []) : [];
    const bareParts =
      countTokens(toolCall!.name) + countTokens(JSON.stringify(toolCall!.arguments));
    const longerId: ChatMessage = {
      role: 'assistant',
      content: null,
      toolCalls: [{ ...toolCall!, id: 'call_QmV0dGVyIGlkcyBhcmUgbG9uZ2VyIHRoYW4gdGhpcw' }],
    };

    expect(countMessageTokens(call)).toBeGreaterThanOrEqual(bareParts + 12);
    expect(countMessageTokens(longerId)).toBeGreaterThan(countMessageTokens(call));
  });
});

describe('keepRecentTurns', () => {
  it('drops whole turns from the start until the message count fits', () => {
    const history = Array.from({ length: 10 }, (_, index) => turn(index, 8)).flat();

    const kept = keepRecentTurns(history, 10);

    expect(kept).toEqual(history.slice(-8));
    assertCallsHaveResults(kept);
  });
});
