import { randomUUID } from 'node:crypto';
import type { ChatMessage, ChatModel, Completion, TokenUsage, ToolCall } from '../llm/chat-model';
import { AppError, describeError, ToolError } from '../shared/errors';
import { redactSensitiveText } from '../privacy';
import type { Logger } from '../shared/logger';
import type { ToolContext, VerificationRule } from '../tools/define-tool';
import type { ToolRegistry } from '../tools/registry';
import { readConfirmationAnswer } from './confirmation-answer';
import type { ConversationData, HandoffRequest, PendingConfirmation } from './conversation-state';
import { compactHistory, fitHistory, keepRecentTurns } from './history-budget';
import type { ReplyPart, ReplyPartSink } from './reply-parts';
import { buildSystemPrompt, type Modality } from './system-prompt';
import { describeToolActivity } from './tool-activity';

/** A confirmation older than this is not consent any more: the customer may have moved on. */
const CONFIRMATION_TTL_MS = 30 * 60 * 1000;
/** Stored history is capped so one endless conversation cannot grow its state without bound. */
const STORED_HISTORY_MESSAGES_MAX = 400;
/**
 * Failed identity checks a conversation may make: enough for a customer's typos, far too few to find a zip code
 * for a known email (or name) by trying them, which a model obeying an attacker would do in one turn.
 */
export const VERIFICATION_FAILURES_MAX = 5;

export const TOOL_RESULT_AWAITING_CONFIRMATION =
  'Not run yet: the customer is being asked to confirm this exact change. Nothing has changed.';
const TOOL_RESULT_DECLINED = 'Error: the customer declined this change. Nothing was changed.';
const TOOL_RESULT_NOT_CONFIRMED =
  'Error: the customer did not confirm this change (they answered with something else, or too late). Nothing was changed.';
const TOOL_RESULT_ONE_CHANGE_AT_A_TIME =
  'Error: not run: only one change can be confirmed at a time. Ask again after the customer has answered.';
export const TOOL_RESULT_VERIFICATION_LOCKED =
  'Error: not run: too many failed verification attempts in this conversation, so verification is closed here. Offer to transfer the customer to a human agent.';

const FILTERED_MESSAGE_PLACEHOLDER = "[The customer's message was blocked by the content filter.]";
const FILTERED_TOOL_RESULT_PLACEHOLDER =
  '[This result was removed: the content filter refused a prompt that held it. Look it up again if needed.]';

export const MESSAGES = {
  contentFiltered:
    "I'm sorry, I can't help with that request. If you have a question about an order, I'm happy to help.",
  modelUnavailable:
    "I'm sorry, I'm having trouble answering right now. Please try again in a moment, or ask for a person.",
  deadline: "I'm sorry, that took longer than it should. Could you ask me again?",
  tooManySteps:
    "I'm sorry, I couldn't finish that. Could you tell me again, step by step, what you need?",
  staleConfirmation:
    'That confirmation is no longer open, so nothing was changed. What would you like to do?',
  cardNotice:
    'For your safety I removed the card number from your message, so nobody here sees it. ' +
    'I never need a full card number: the last four digits are enough to tell your cards apart.',
} as const;

export interface TurnRunnerOptions {
  assistantName: string;
  companyName: string;
  verificationRule: VerificationRule;
  turnDeadlineMs: number;
  toolRoundsMax: number;
  historyTokenBudget: number;
  maxOutputTokens?: number;
}

export interface TurnRunnerDependencies {
  model: ChatModel;
  tools: ToolRegistry;
  logger: Logger;
  options: TurnRunnerOptions;
  now?: () => Date;
}

export interface TurnInput {
  /**
   * The customer's words. Card numbers, and a security code or expiry written next to one, are replaced by
   * markers ("[card ending 4242]") before anything else sees them: the model, the stored history, the logs.
   * Null for a button press.
   */
  text: string | null;
  /** A confirmation button press: the id of the confirmation and the decision. */
  confirmation?: { id: string; decision: 'yes' | 'no' } | null;
  modality: Modality;
  conversationId: string;
  channelId: string;
  signal?: AbortSignal;
}

export type TurnStatus =
  'answered' | 'awaiting_confirmation' | 'failed' | 'content_filtered' | 'ignored';

export interface TurnOutcome {
  /** The conversation's new state. The input object is not modified. */
  data: ConversationData;
  status: TurnStatus;
  usage: TokenUsage;
  /** Set when the model asked for a person during this turn. */
  handoff: HandoffRequest | null;
  /** The tools that ran, in order, with whether they succeeded. */
  toolRuns: { name: string; ok: boolean }[];
}

/**
 * One customer turn: the confirmation gate, then the model-and-tools loop. Framework-free: input is plain data,
 * output is reply parts sent to a sink and the new conversation state.
 */
export class TurnRunner {
  private readonly now: () => Date;

  constructor(private readonly dependencies: TurnRunnerDependencies) {
    this.now = dependencies.now ?? (() => new Date());
  }

  async run(
    input: TurnInput,
    previous: ConversationData,
    emit: ReplyPartSink,
  ): Promise<TurnOutcome> {
    const redacted = input.text === null ? null : redactSensitiveText(input.text);
    const safeInput = redacted === null ? input : { ...input, text: redacted.text };
    const turn = new Turn(this.dependencies, this.now, safeInput, copyForTurn(previous), emit);
    return turn.run({ cardDetailsRemoved: (redacted?.redactions.length ?? 0) > 0 });
  }
}

class Turn {
  private readonly usage: TokenUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  private readonly toolRuns: { name: string; ok: boolean }[] = [];
  private handoff: HandoffRequest | null = null;
  private userMessageIndex: number | null = null;
  /** Where the history the model loop adds begins (after the confirmation gate's messages). */
  private modelLoopStartIndex: number | null = null;
  private readonly logger: Logger;
  private readonly context: ToolContext;
  private readonly signal: AbortSignal;

  constructor(
    private readonly dependencies: TurnRunnerDependencies,
    private readonly now: () => Date,
    private readonly input: TurnInput,
    private readonly data: ConversationData,
    private readonly emit: ReplyPartSink,
  ) {
    this.logger = dependencies.logger.child({
      conversationId: input.conversationId,
      channelId: input.channelId,
    });
    const deadline = AbortSignal.timeout(dependencies.options.turnDeadlineMs);
    this.signal = input.signal === undefined ? deadline : AbortSignal.any([input.signal, deadline]);
    this.context = this.createToolContext();
  }

  async run(options: { cardDetailsRemoved: boolean }): Promise<TurnOutcome> {
    if (options.cardDetailsRemoved) {
      this.logger.info('card-details-redacted');
      // Told once per conversation, kindly; not part of the history, the marker in the text says enough.
      if (this.data.cardNoticeGiven !== true) {
        this.data.cardNoticeGiven = true;
        await this.emit({ type: 'message', text: MESSAGES.cardNotice });
      }
    }
    const gate = await this.passConfirmationGate();
    if (gate === 'stop') return this.finish('ignored');
    try {
      const status = await this.modelLoop();
      this.data.consecutiveFailures = 0;
      return this.finish(status);
    } catch (error) {
      return this.finish(await this.recover(error));
    }
  }

  /**
   * Decides what the customer's message means for a change on the table. Only an explicit yes to the pending
   * confirmation runs it, with the arguments that were previewed; the model is then asked to word the result.
   */
  private async passConfirmationGate(): Promise<'continue' | 'stop'> {
    const pending = this.data.pendingConfirmation;
    const pressed = this.input.confirmation ?? null;
    if (
      pressed !== null &&
      (pending === null || pressed.id !== pending.id || this.isExpired(pending))
    ) {
      this.data.pendingConfirmation = pending !== null && this.isExpired(pending) ? null : pending;
      await this.say(MESSAGES.staleConfirmation);
      return 'stop';
    }
    const userText = this.input.text ?? (pressed?.decision === 'yes' ? 'Yes' : 'No');
    if (pending === null) {
      this.pushUserMessage(userText);
      return 'continue';
    }

    this.data.pendingConfirmation = null;
    this.data.settledConfirmationIds = [...this.data.settledConfirmationIds, pending.id].slice(-20);
    const decision = this.isExpired(pending)
      ? 'unclear'
      : (pressed?.decision ?? readConfirmationAnswer(this.input.text ?? ''));
    this.pushUserMessage(userText);
    this.logger.info({ tool: pending.toolName, decision }, 'confirmation-answer');

    // The answer is recorded as the outcome of a fresh call of the same tool, so the model reads it in the
    // same shape as any other tool result and the chat format stays valid (every call has its result).
    const call: ToolCall = {
      id: `confirmation_${randomUUID()}`,
      name: pending.toolName,
      arguments: pending.arguments,
    };
    this.data.history.push({ role: 'assistant', content: null, toolCalls: [call] });
    let output: string;
    if (decision === 'yes') {
      const result = await this.dependencies.tools.run(call, this.context);
      this.toolRuns.push({ name: call.name, ok: result.ok });
      this.logger.info({ tool: call.name, ok: result.ok }, 'tool-call');
      output = result.output;
    } else {
      output = decision === 'no' ? TOOL_RESULT_DECLINED : TOOL_RESULT_NOT_CONFIRMED;
    }
    this.pushToolResult(call, output);
    return 'continue';
  }

  private pushUserMessage(text: string): void {
    this.userMessageIndex = this.data.history.length;
    this.data.history.push({ role: 'user', content: text });
  }

  private async modelLoop(): Promise<TurnStatus> {
    const { model, options } = this.dependencies;
    this.modelLoopStartIndex = this.data.history.length;
    for (let round = 0; round < options.toolRoundsMax; round += 1) {
      const completion = await this.complete(model);
      if (completion.finishReason === 'content_filter') {
        this.logger.warn({ stage: 'completion' }, 'content-filtered');
        await this.say(MESSAGES.contentFiltered);
        return 'content_filtered';
      }
      const text = completion.text?.trim() ?? '';
      this.data.history.push({
        role: 'assistant',
        content: text === '' ? null : text,
        ...(completion.toolCalls.length > 0 ? { toolCalls: completion.toolCalls } : {}),
      });
      if (text !== '') await this.emit({ type: 'message', text });
      if (completion.toolCalls.length === 0) {
        if (text === '') await this.say(MESSAGES.tooManySteps);
        return 'answered';
      }

      let confirmation: PendingConfirmation | null = null;
      for (const call of completion.toolCalls) {
        const output = await this.handleToolCall(call, confirmation !== null);
        if (typeof output !== 'string') {
          confirmation = output;
          this.pushToolResult(call, TOOL_RESULT_AWAITING_CONFIRMATION);
        } else {
          this.pushToolResult(call, output);
        }
      }
      if (confirmation !== null) {
        await this.askForConfirmation(confirmation);
        return 'awaiting_confirmation';
      }
    }
    await this.say(MESSAGES.tooManySteps);
    return 'failed';
  }

  private async complete(model: ChatModel): Promise<Completion> {
    const { tools, options } = this.dependencies;
    const messages: ChatMessage[] = [
      {
        role: 'system',
        content: buildSystemPrompt({
          assistantName: options.assistantName,
          companyName: options.companyName,
          modality: this.input.modality,
          verificationRule: options.verificationRule,
          customerId: this.data.customerId,
          now: this.now(),
        }),
      },
      ...fitHistory(this.data.history, { budgetTokens: options.historyTokenBudget }),
    ];
    const completion = await model.complete({
      messages,
      tools: tools.schemas(),
      signal: this.signal,
      onTextDelta: (delta) => void this.emit({ type: 'text-delta', text: delta }),
      ...(options.maxOutputTokens === undefined
        ? {}
        : { maxOutputTokens: options.maxOutputTokens }),
    });
    if (completion.usage !== null) {
      this.usage.promptTokens += completion.usage.promptTokens;
      this.usage.completionTokens += completion.usage.completionTokens;
      this.usage.totalTokens += completion.usage.totalTokens;
    }
    return completion;
  }

  /** Runs a read, identity or handoff tool; a write is only previewed and becomes a pending confirmation. */
  private async handleToolCall(
    call: ToolCall,
    confirmationAlreadyPending: boolean,
  ): Promise<string | PendingConfirmation> {
    const tools = this.dependencies.tools;
    const tool = tools.get(call.name);
    if (tool?.kind === 'write') {
      if (confirmationAlreadyPending) return TOOL_RESULT_ONE_CHANGE_AT_A_TIME;
      const preview = await tools.preview(call, this.context);
      this.logger.info({ tool: call.name, ok: preview.ok }, 'tool-preview');
      if (!preview.ok) return preview.output;
      return {
        id: randomUUID(),
        toolName: call.name,
        arguments: JSON.stringify(preview.input),
        summary: preview.summary,
        createdAt: this.now().toISOString(),
      };
    }

    const verificationFailures = this.data.verificationFailures ?? 0;
    if (tool?.kind === 'identity' && verificationFailures >= VERIFICATION_FAILURES_MAX) {
      this.logger.warn({ tool: call.name, verificationFailures }, 'verification-locked');
      return TOOL_RESULT_VERIFICATION_LOCKED;
    }

    await this.emit({ type: 'status', text: describeToolActivity(call.name, call.arguments) });
    const result = await tools.run(call, this.context);
    this.toolRuns.push({ name: call.name, ok: result.ok });
    this.logger.info({ tool: call.name, ok: result.ok }, 'tool-call');
    if (tool?.kind === 'identity' && !result.ok) {
      this.data.verificationFailures = verificationFailures + 1;
    }
    if (result.ok && call.name === 'get_order_details') {
      const order = parseObject(result.output);
      if (order !== null) await this.emit({ type: 'order', order });
    }
    if (result.ok && call.name === 'search_policies') {
      const sources = policySources(parseObject(result.output));
      if (sources.length > 0) await this.emit({ type: 'sources', sources });
    }
    if (result.ok && call.name === 'track_shipment') {
      const tracking = parseObject(result.output);
      if (tracking !== null) await this.emit({ type: 'shipment', tracking });
    }
    if (result.ok && call.name === 'create_profile_avatar') {
      const avatar = profileAvatarPart(parseObject(result.output));
      if (avatar !== null) await this.emit(avatar);
    }
    return result.output;
  }

  private async askForConfirmation(confirmation: PendingConfirmation): Promise<void> {
    this.data.pendingConfirmation = confirmation;
    const { title, details } = confirmation.summary;
    const question = [`Please confirm: ${title}.`, ...details].join('\n');
    this.data.history.push({ role: 'assistant', content: question });
    await this.emit({
      type: 'confirmation',
      id: confirmation.id,
      toolName: confirmation.toolName,
      summary: confirmation.summary,
    });
  }

  private pushToolResult(call: ToolCall, output: string): void {
    this.data.history.push({ role: 'tool', toolCallId: call.id, name: call.name, content: output });
  }

  private async recover(error: unknown): Promise<TurnStatus> {
    const code = error instanceof AppError ? error.code : null;
    if (code === 'model_content_filtered') {
      // The prompt was refused: blank the customer's message so it is not sent, and refused, on every later
      // turn. What tools did this turn stays in the history: a confirmed change really happened.
      if (this.userMessageIndex !== null) {
        this.data.history[this.userMessageIndex] = {
          role: 'user',
          content: FILTERED_MESSAGE_PLACEHOLDER,
        };
      }
      // A tool result read this turn may be what was refused (a product description, say): it is blanked too, or
      // every later turn would send it and be refused again. The confirmed change's result, from before the
      // loop, stays.
      for (
        let index = this.modelLoopStartIndex ?? this.data.history.length;
        index < this.data.history.length;
        index += 1
      ) {
        const message = this.data.history[index];
        if (message?.role === 'tool') {
          this.data.history[index] = { ...message, content: FILTERED_TOOL_RESULT_PLACEHOLDER };
        }
      }
      this.logger.warn(
        { stage: 'prompt', details: (error as AppError).details },
        'content-filtered',
      );
      await this.say(MESSAGES.contentFiltered);
      return 'content_filtered';
    }
    // A turn the customer stopped (Teams' Stop button) is their choice, not the assistant failing.
    if (this.input.signal?.aborted === true) {
      this.logger.info('turn-cancelled');
      return 'failed';
    }
    this.data.consecutiveFailures += 1;
    const deadlineHit = this.signal.aborted;
    this.logger.error(
      { error: describeError(error), consecutiveFailures: this.data.consecutiveFailures },
      'turn-failed',
    );
    await this.say(
      deadlineHit || code === 'turn_deadline_exceeded'
        ? MESSAGES.deadline
        : MESSAGES.modelUnavailable,
    );
    return 'failed';
  }

  private async say(text: string): Promise<void> {
    this.data.history.push({ role: 'assistant', content: text });
    await this.emit({ type: 'message', text });
  }

  private isExpired(pending: PendingConfirmation): boolean {
    return this.now().getTime() - Date.parse(pending.createdAt) > CONFIRMATION_TTL_MS;
  }

  private createToolContext(): ToolContext {
    const data = this.data;
    const recordHandoff = (summary: string): void => {
      this.handoff = { summary, requestedAt: this.now().toISOString() };
      data.handoffRequests.push(this.handoff);
    };
    return {
      get customerId() {
        return data.customerId;
      },
      verificationRule: this.dependencies.options.verificationRule,
      verifyCustomer(customerId: string) {
        if (data.customerId !== null && data.customerId !== customerId) {
          throw new ToolError(
            'this conversation is already verified for another customer; a new conversation is needed to switch accounts',
          );
        }
        data.customerId = customerId;
      },
      requestHandoff(request: { summary: string }) {
        recordHandoff(request.summary);
      },
      conversationId: this.input.conversationId,
      channelId: this.input.channelId,
      now: this.now,
      signal: this.signal,
    };
  }

  private finish(status: TurnStatus): TurnOutcome {
    this.data.history = compactHistory(this.data.history);
    if (this.data.history.length > STORED_HISTORY_MESSAGES_MAX) {
      this.data.history = keepRecentTurns(this.data.history, STORED_HISTORY_MESSAGES_MAX);
    }
    this.data.usage = {
      promptTokens: this.data.usage.promptTokens + this.usage.promptTokens,
      completionTokens: this.data.usage.completionTokens + this.usage.completionTokens,
      totalTokens: this.data.usage.totalTokens + this.usage.totalTokens,
      turns: this.data.usage.turns + 1,
    };
    return {
      data: this.data,
      status,
      usage: this.usage,
      handoff: this.handoff,
      toolRuns: this.toolRuns,
    };
  }
}

/**
 * The copy of the state a turn changes, so the caller's stays as it was. Messages and other nested records are
 * never changed in place (a turn replaces them), so copying the arrays a turn appends to is enough: a deep clone
 * of the whole history on every turn was among the largest allocations of a turn.
 */
function copyForTurn(previous: ConversationData): ConversationData {
  return {
    ...previous,
    history: [...previous.history],
    handoffRequests: [...previous.handoffRequests],
    settledConfirmationIds: [...previous.settledConfirmationIds],
    usage: { ...previous.usage },
  };
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export type { ReplyPart };

/** The customer's new avatar, read from `create_profile_avatar`'s result. */
function profileAvatarPart(output: Record<string, unknown> | null): ReplyPart | null {
  const url = output?.image_url;
  const contentType = output?.image_type;
  const description = output?.description;
  if (typeof url !== 'string' || typeof contentType !== 'string') return null;
  return {
    type: 'image',
    url,
    contentType,
    alt: typeof description === 'string' ? `Your avatar: ${description}` : 'Your avatar',
    purpose: 'profile-avatar',
  };
}

/** Sources shown with a policy answer: the documents and sections of the passages found, best first. */
const POLICY_SOURCES_SHOWN = 3;

function policySources(
  output: Record<string, unknown> | null,
): { title: string; section: string }[] {
  const results = Array.isArray(output?.results) ? (output.results as unknown[]) : [];
  const seen = new Set<string>();
  const sources: { title: string; section: string }[] = [];
  for (const result of results) {
    if (typeof result !== 'object' || result === null) continue;
    const { title, section } = result as { title?: unknown; section?: unknown };
    if (typeof title !== 'string' || typeof section !== 'string') continue;
    const key = `${title}\u0000${section}`;
    if (seen.has(key)) continue;
    seen.add(key);
    sources.push({ title, section });
    if (sources.length === POLICY_SOURCES_SHOWN) break;
  }
  return sources;
}
