import type { TurnContext } from 'botbuilder';
import type { ConversationData } from '../conversation/conversation-state';
import {
  conversationLines,
  lastMessagesSummary,
  writeHandoffSummary,
} from '../conversation/handoff-summary';
import type { TurnOutcome } from '../conversation/turn-runner';
import { DESK_MESSAGES, type TeamsAgentDesk } from '../handoff/agent-desk';
import { orderIdsIn, type HandoffCase, type HandoffReason } from '../handoff/handoff-case';
import type { ChatModel } from '../llm/chat-model';
import type { Logger } from '../shared/logger';

/**
 * Turns in a row the assistant may fail before a person is called in. One failure can be a blip; two mean the
 * customer is stuck (the model is down, or every answer runs out of time).
 */
export const FAILURES_BEFORE_ESCALATION = 2;
/** A waiting customer is told where they stand at most this often, however much they write. */
const WAITING_NOTICE_INTERVAL_MS = 60_000;
/** The hand-over note added to the assistant's history when a case closes is kept this short. */
const HANDBACK_NOTE_CHARACTERS_MAX = 1_500;
const RECENT_MESSAGES_ON_CARD = 6;

export interface HandoffCoordinatorOptions {
  desk: TeamsAgentDesk;
  /** Writes the agents' summary; null with the offline model (the card then shows the last messages). */
  summaryModel: ChatModel | null;
  /** Name and email of a verified customer, for the card. */
  describeCustomer(customerId: string): Promise<{ name: string; email: string } | null>;
  logger: Logger;
  now?: () => Date;
}

/** What the bot does with a customer's message while people may have the conversation. */
export type BeforeTurn =
  { kind: 'with-people'; data: ConversationData } | { kind: 'assistant'; data: ConversationData };

/**
 * Between the bot and the agent desk: sends a customer's messages to people while a case is open, gives the
 * conversation back to the assistant when it closes, and decides after each turn whether to call people in
 * (the model asked, or the assistant keeps failing). The mood feature only offers a person (see
 * `MoodCoordinator`); the customer's answer then comes back here as a request.
 */
export class HandoffCoordinator {
  private readonly now: () => Date;

  constructor(private readonly options: HandoffCoordinatorOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Before a customer turn. `text` is already redacted; null for a button press. */
  async beforeTurn(
    context: TurnContext,
    data: ConversationData,
    text: string | null,
  ): Promise<BeforeTurn> {
    const open = data.handoff ?? null;
    if (open === null) return { kind: 'assistant', data };
    const route = await this.options.desk.routeCustomerMessage(
      context,
      open.caseId,
      text ?? '(pressed a button)',
    );
    switch (route.kind) {
      case 'relayed':
        return { kind: 'with-people', data };
      case 'waiting': {
        const last = open.noticeAt === undefined ? 0 : Date.parse(open.noticeAt);
        if (this.now().getTime() - last < WAITING_NOTICE_INTERVAL_MS)
          return { kind: 'with-people', data };
        await context.sendActivity(DESK_MESSAGES.stillWaiting(route.queuePosition));
        return {
          kind: 'with-people',
          data: { ...data, handoff: { ...open, noticeAt: this.now().toISOString() } },
        };
      }
      case 'assistant': {
        if (route.handedBack === null) return { kind: 'assistant', data };
        // The case is over: the assistant takes the conversation back knowing what the people said.
        const note = handbackNote(route.handedBack);
        return {
          kind: 'assistant',
          data: {
            ...data,
            handoff: null,
            history:
              note === null
                ? data.history
                : [...data.history, { role: 'assistant', content: note }],
          },
        };
      }
    }
  }

  /** After a customer turn: escalates when the model asked for a person or the assistant keeps failing. */
  async afterTurn(context: TurnContext, outcome: TurnOutcome): Promise<ConversationData> {
    if (outcome.handoff !== null) {
      return this.escalate(context, outcome.data, {
        reason: 'requested',
        summary: outcome.handoff.summary,
      });
    }
    if (outcome.data.consecutiveFailures >= FAILURES_BEFORE_ESCALATION) {
      return this.escalate(context, outcome.data, { reason: 'assistant_failing' });
    }
    return outcome.data;
  }

  /**
   * Opens a case for this conversation, unless one is open already, and tells the customer where they stand.
   * `summary` is used as given (the model's own words when it asked); otherwise it is written here.
   */
  async escalate(
    context: TurnContext,
    data: ConversationData,
    request: { reason: HandoffReason; summary?: string },
  ): Promise<ConversationData> {
    const open = data.handoff ?? null;
    if (open !== null) {
      const current = await this.options.desk.getCase(open.caseId);
      if (current !== null && current.status !== 'closed') return data;
    }
    const lines = conversationLines(data.history);
    const summary = request.summary ?? (await this.writeSummary(lines, request.reason));
    const verified =
      data.customerId === null ? null : await this.options.describeCustomer(data.customerId);
    const displayName = context.activity.from?.name?.trim() || 'Customer';
    const escalation = await this.options.desk.escalate(context, {
      reason: request.reason,
      summary,
      recentMessages: lines.slice(-RECENT_MESSAGES_ON_CARD).map((line) => ({
        from: line.from === 'customer' ? 'customer' : 'system',
        name: line.from === 'customer' ? (verified?.name ?? displayName) : 'Assistant',
        text: line.text,
        at: this.now().toISOString(),
      })),
      orderIds: orderIdsIn(lines.map((line) => line.text)),
      customer: {
        displayName,
        verified:
          data.customerId === null || verified === null
            ? null
            : { customerId: data.customerId, name: verified.name, email: verified.email },
      },
    });
    await context.sendActivity(
      escalation.deskAvailable
        ? DESK_MESSAGES.queued(escalation.queuePosition)
        : DESK_MESSAGES.queuedNoDesk,
    );
    return {
      ...data,
      consecutiveFailures: 0,
      handoff: { caseId: escalation.caseId, noticeAt: this.now().toISOString() },
    };
  }

  private async writeSummary(
    lines: ReturnType<typeof conversationLines>,
    reason: HandoffReason,
  ): Promise<string> {
    // When the assistant is failing the model is likely down: asking it for a summary would only add delay.
    const model = reason === 'assistant_failing' ? null : this.options.summaryModel;
    const written =
      model === null
        ? null
        : await writeHandoffSummary({ model, lines, logger: this.options.logger });
    return written ?? lastMessagesSummary(lines);
  }
}

/** What the people said, as the assistant's own note in its history, so it can refer to it later. */
function handbackNote(value: HandoffCase): string | null {
  const lines = value.transcript
    .filter((entry) => entry.from !== 'system')
    .map(
      (entry) => `${entry.from === 'agent' ? `Agent ${entry.name}` : 'Customer'}: ${entry.text}`,
    );
  if (lines.length === 0) return null;
  // The latest lines matter most when the note has to be cut.
  let said = lines.join('\n');
  if (said.length > HANDBACK_NOTE_CHARACTERS_MAX)
    said = `…${said.slice(-HANDBACK_NOTE_CHARACTERS_MAX)}`;
  return `[A support agent had the conversation; what was said:]\n${said}`;
}
