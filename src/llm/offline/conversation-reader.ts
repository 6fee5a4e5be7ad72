import type { ChatMessage, ToolCall } from '../chat-model';
import { isErrorResult } from './tool-results';

/**
 * The conversation as the offline model needs it. The model is stateless between calls: everything it knows
 * (who is verified, what the customer asked, what the tools answered) is read back from the messages here.
 */

/** The result a write call has while the customer is being asked to confirm it: not an outcome yet. */
const AWAITING_CONFIRMATION = /^not run yet\b/iu;

export interface CallRecord {
  call: ToolCall;
  /** The call's arguments parsed; empty when they were not a JSON object. */
  args: Readonly<Record<string, unknown>>;
  /** The tool's answer, or null when none follows the call (yet). */
  result: string | null;
  /** Index in `messages` of the assistant message that made the call. */
  messageIndex: number;
}

export interface UserTurn {
  /** Index in `messages`. */
  index: number;
  text: string;
}

/** Tools whose plain-text result is the customer's user id when verification succeeds. */
export const IDENTITY_TOOLS: ReadonlySet<string> = new Set([
  'find_user_id_by_email',
  'find_user_id_by_name_zip',
]);

export class ConversationView {
  readonly messages: readonly ChatMessage[];
  readonly systemPrompt: string;
  readonly userTurns: readonly UserTurn[];
  readonly calls: readonly CallRecord[];

  constructor(messages: readonly ChatMessage[]) {
    this.messages = messages;
    this.systemPrompt = messages
      .filter((message) => message.role === 'system')
      .map((message) => message.content)
      .join('\n');
    const userTurns: UserTurn[] = [];
    const calls: CallRecord[] = [];
    const byId = new Map<string, CallRecord>();
    messages.forEach((message, index) => {
      if (message.role === 'user') userTurns.push({ index, text: message.content });
      if (message.role === 'assistant') {
        for (const call of message.toolCalls ?? []) {
          const record: CallRecord = {
            call,
            args: parseArguments(call.arguments),
            result: null,
            messageIndex: index,
          };
          calls.push(record);
          byId.set(call.id, record);
        }
      }
      if (message.role === 'tool') {
        const record = byId.get(message.toolCallId);
        if (record !== undefined) record.result = message.content;
      }
    });
    this.userTurns = userTurns;
    this.calls = calls;
  }

  get lastMessage(): ChatMessage | undefined {
    return this.messages[this.messages.length - 1];
  }

  /** Index of the latest customer message, or -1. */
  get lastUserIndex(): number {
    return this.userTurns[this.userTurns.length - 1]?.index ?? -1;
  }

  get lastUserText(): string {
    return this.userTurns[this.userTurns.length - 1]?.text ?? '';
  }

  /** True in a phone call: the system prompt says so, and answers then avoid lists. */
  get isVoice(): boolean {
    return /\bphone call\b/iu.test(this.systemPrompt);
  }

  /** Calls made since the customer's latest message, with their results. */
  currentTurnCalls(): CallRecord[] {
    const since = this.lastUserIndex;
    return this.calls.filter((record) => record.messageIndex > since);
  }

  /** The calls of the assistant message whose results end the conversation so far, if it ends with results. */
  lastBatch(): CallRecord[] {
    if (this.lastMessage?.role !== 'tool') return [];
    for (let index = this.messages.length - 1; index >= 0; index -= 1) {
      const message = this.messages[index]!;
      if (message.role === 'assistant' && (message.toolCalls?.length ?? 0) > 0) {
        return this.calls.filter((record) => record.messageIndex === index);
      }
      if (message.role === 'user') return [];
    }
    return [];
  }

  /** The assistant's latest words before the customer's latest message (the question they may be answering). */
  assistantTextBefore(messageIndex: number): string {
    for (let index = messageIndex - 1; index >= 0; index -= 1) {
      const message = this.messages[index]!;
      if (message.role === 'user') return '';
      if (
        message.role === 'assistant' &&
        message.content !== null &&
        message.content.trim() !== ''
      ) {
        return message.content;
      }
    }
    return '';
  }

  /**
   * The verified customer: the latest identity lookup that answered a user id, or, when the history was trimmed,
   * the id the system prompt states.
   */
  verifiedUserId(): string | null {
    for (let index = this.calls.length - 1; index >= 0; index -= 1) {
      const record = this.calls[index]!;
      if (!IDENTITY_TOOLS.has(record.call.name) || record.result === null) continue;
      const result = record.result.trim();
      if (!isErrorResult(result) && /^[\w.@-]+$/u.test(result)) return result;
    }
    const stated = /verified as user id\s+([\w.@-]+?)\.?(?:\s|$)/iu.exec(this.systemPrompt);
    return stated?.[1] ?? null;
  }

  /** Identity lookups tried so far, oldest first. */
  identityAttempts(): CallRecord[] {
    return this.calls.filter(
      (record) => IDENTITY_TOOLS.has(record.call.name) && record.result !== null,
    );
  }

  /** The latest result of `name` in the current turn whose arguments satisfy `matches`. */
  currentResult(
    name: string,
    matches: (args: Readonly<Record<string, unknown>>) => boolean = () => true,
  ): CallRecord | null {
    const found = this.currentTurnCalls().filter(
      (record) => record.call.name === name && record.result !== null && matches(record.args),
    );
    return found[found.length - 1] ?? null;
  }

  /** The latest result of `name` anywhere in the history whose arguments satisfy `matches`. */
  anyResult(
    name: string,
    matches: (args: Readonly<Record<string, unknown>>) => boolean = () => true,
  ): CallRecord | null {
    for (let index = this.calls.length - 1; index >= 0; index -= 1) {
      const record = this.calls[index]!;
      if (record.call.name === name && record.result !== null && matches(record.args))
        return record;
    }
    return null;
  }

  /** True when a call's result is only the placeholder written while the customer confirms. */
  static isAwaitingConfirmation(result: string): boolean {
    return AWAITING_CONFIRMATION.test(result.trim());
  }
}

function parseArguments(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
