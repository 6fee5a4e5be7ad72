import { countTokens } from 'gpt-tokenizer';
import type { ChatMessage } from '../llm/chat-model';

/** Chat formats spend a few tokens per message on role and separators. */
const MESSAGE_OVERHEAD_TOKENS = 4;
/** A tool call's wrapper on the wire (`{"id":…,"type":"function","function":{"name":…,"arguments":…}}`). */
const TOOL_CALL_OVERHEAD_TOKENS = 12;
/** Tool output older than the last two turns is cut to this many characters: the model can look it up again. */
const STALE_TOOL_OUTPUT_CHARACTERS = 280;
const TURNS_KEPT_WHOLE = 2;

/**
 * Token counts of recent texts. Each model call re-counts the history it sends, and history is reloaded from
 * storage every turn, so counts are remembered by text: BPE counting was 8% of the bot's CPU under load without
 * it (`npm run bench`). Bounded, oldest forgotten first.
 */
const TOKEN_COUNT_CACHE_ENTRIES = 10_000;
const tokenCountCache = new Map<string, number>();

function countTextTokens(text: string): number {
  if (text === '') return 0;
  const cached = tokenCountCache.get(text);
  if (cached !== undefined) return cached;
  // Counted as the chat API receives it: a JSON string, where quotes and newlines in tool output are escaped.
  const tokens = countTokens(JSON.stringify(text));
  if (tokenCountCache.size >= TOKEN_COUNT_CACHE_ENTRIES) {
    tokenCountCache.delete(tokenCountCache.keys().next().value!);
  }
  tokenCountCache.set(text, tokens);
  return tokens;
}

/** Tokens one message costs in a prompt, counted with the o200k tokenizer of current GPT models. */
export function countMessageTokens(message: ChatMessage): number {
  let tokens = MESSAGE_OVERHEAD_TOKENS;
  if (message.content !== null) tokens += countTextTokens(message.content);
  if (message.role === 'assistant') {
    for (const call of message.toolCalls ?? []) {
      tokens +=
        TOOL_CALL_OVERHEAD_TOKENS +
        countTextTokens(call.id) +
        countTextTokens(call.name) +
        countTextTokens(call.arguments);
    }
  }
  if (message.role === 'tool') tokens += countTextTokens(message.toolCallId);
  return tokens;
}

export function countTokensOf(messages: readonly ChatMessage[]): number {
  return messages.reduce((total, message) => total + countMessageTokens(message), 0);
}

/**
 * The part of a conversation's history that fits the budget. History is cut only between turns (a turn starts
 * at a customer message), so an assistant's tool calls always travel with their results, which the chat API
 * requires. The current turn is always kept whole, even over budget; older tool output is shortened first.
 */
export function fitHistory(
  history: readonly ChatMessage[],
  options: { budgetTokens: number },
): ChatMessage[] {
  const turns = splitIntoTurns(history);
  const kept: ChatMessage[][] = [];
  let used = 0;
  for (let index = turns.length - 1; index >= 0; index -= 1) {
    const age = turns.length - 1 - index;
    const turn = age < TURNS_KEPT_WHOLE ? turns[index]! : turns[index]!.map(shortenToolOutput);
    const cost = countTokensOf(turn);
    if (age > 0 && used + cost > options.budgetTokens) break;
    kept.unshift(turn);
    used += cost;
  }
  return kept.flat();
}

/** The most recent whole turns whose messages number at most `maxMessages` (the last turn is always kept). */
export function keepRecentTurns(
  history: readonly ChatMessage[],
  maxMessages: number,
): ChatMessage[] {
  const turns = splitIntoTurns(history);
  let count = 0;
  let first = turns.length;
  while (first > 0 && (first === turns.length || count + turns[first - 1]!.length <= maxMessages)) {
    first -= 1;
    count += turns[first]!.length;
  }
  return turns.slice(first).flat();
}

/**
 * The history to store after a turn: tool output of turns the model will only ever see shortened (see
 * {@link fitHistory}) is shortened now, so a conversation's state stays small and each turn reads and writes
 * less. The customer's and the assistant's words are kept as they were.
 */
export function compactHistory(history: readonly ChatMessage[]): ChatMessage[] {
  const turns = splitIntoTurns(history);
  return turns.flatMap((turn, index) =>
    turns.length - 1 - index < TURNS_KEPT_WHOLE ? turn : turn.map(shortenToolOutput),
  );
}

function splitIntoTurns(history: readonly ChatMessage[]): ChatMessage[][] {
  const turns: ChatMessage[][] = [];
  for (const message of history) {
    const current = turns[turns.length - 1];
    if (message.role === 'user' || current === undefined) turns.push([message]);
    else current.push(message);
  }
  return turns;
}

const SHORTENED_MARKER = '… [shortened; call the tool again for details]';

function shortenToolOutput(message: ChatMessage): ChatMessage {
  if (
    message.role !== 'tool' ||
    message.content.length <= STALE_TOOL_OUTPUT_CHARACTERS ||
    message.content.endsWith(SHORTENED_MARKER)
  ) {
    return message;
  }
  return {
    ...message,
    content: `${message.content.slice(0, STALE_TOOL_OUTPUT_CHARACTERS)}${SHORTENED_MARKER}`,
  };
}
