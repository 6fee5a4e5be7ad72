import {
  type Activity,
  ActivityTypes,
  TeamsActivityHandler,
  TurnContext,
  type ConversationState,
  type StatePropertyAccessor,
} from 'botbuilder';
import { channelKindOf, modalityOf } from '../channels/channel-kind';
import { readConfirmationValue } from '../channels/confirmation-card';
import { createLivestreamSender } from '../channels/livestream-sender';
import { createReplySender } from '../channels/reply-sender';
import { createConversationData, type ConversationData } from '../conversation/conversation-state';
import type { TurnRunner } from '../conversation/turn-runner';
import type { Logger } from '../shared/logger';
import { KeyedLock } from './keyed-lock';

/** Longer messages are refused: nobody types this much about an order, and it bounds the cost of a turn. */
export const MESSAGE_CHARACTERS_MAX = 4_000;
/**
 * A turn shows a typing indicator only once it has taken this long: a quick answer needs none, and skipping it
 * spares a Bot Connector call per turn (botbuilder's own ShowTypingMiddleware waits 500 ms too).
 */
export const TYPING_DELAY_MS = 500;
/** Web Chat takes streamed updates as fast as they come; this only merges bursts of tiny deltas. */
const WEBCHAT_STREAM_INTERVAL_MS = 100;
/** An answer complete within this goes as one message instead of a stream (the first words wait this long). */
const FIRST_STREAM_UPDATE_DELAY_MS = 50;
const SHOWN_CARDS_KEPT = 20;
/** A tool that answers faster than this needs no "Looking up order…" in the stream. */
const INFORMATIVE_DELAY_MS = 250;
/** Typing indicators fade after a few seconds on Teams and Web Chat; refresh them while a turn works. */
const TYPING_REFRESH_MS = 3_000;

export const BOT_MESSAGES = {
  tooLong: `That message is too long for me. Could you say it in fewer than ${MESSAGE_CHARACTERS_MAX.toLocaleString('en-US')} characters?`,
  textOnly: 'I can only read text messages for now. Could you type your question?',
} as const;

export interface CareBotOptions {
  conversationState: ConversationState;
  turnRunner: TurnRunner;
  logger: Logger;
  welcomeText: string;
  /** How long a turn runs before the customer sees a typing indicator; {@link TYPING_DELAY_MS} by default. */
  typingDelayMs?: number;
}

/** The one bot for every channel: it turns activities into conversation turns and reply parts into activities. */
export class CareBot extends TeamsActivityHandler {
  private readonly conversationData: StatePropertyAccessor<ConversationData>;
  /** Keys of the cards a conversation was shown lately, so an unchanged order is not shown again. */
  private readonly shownCards: StatePropertyAccessor<string[]>;
  private readonly lock = new KeyedLock();

  constructor(private readonly options: CareBotOptions) {
    super();
    this.conversationData = options.conversationState.createProperty<ConversationData>('care');
    this.shownCards = options.conversationState.createProperty<string[]>('shownCards');

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient.id;
      if ((context.activity.membersAdded ?? []).some((member) => member.id !== botId)) {
        await context.sendActivity({
          type: ActivityTypes.Message,
          text: options.welcomeText,
          textFormat: 'markdown',
        });
      }
      await next();
    });
  }

  /** Turns of one conversation run one after another, each reading and saving its state. */
  override async run(context: TurnContext): Promise<void> {
    const conversationId = context.activity.conversation?.id ?? '';
    await this.lock.run(conversationId, async () => {
      await super.run(context);
      await this.options.conversationState.saveChanges(context, false);
    });
  }

  /** Turns queued or running now, for graceful shutdown. */
  get activeConversations(): number {
    return this.lock.size;
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const kind = channelKindOf(activity.channelId);
    const confirmation = readConfirmationValue(activity.value);
    const text = confirmation === null ? readText(context) : null;
    const logger = this.options.logger.child({
      conversationId: activity.conversation.id,
      activityId: activity.id,
      channelId: activity.channelId,
    });

    if (confirmation === null && (text === null || text === '')) {
      await context.sendActivity(BOT_MESSAGES.textOnly);
      return;
    }
    if (text !== null && text.length > MESSAGE_CHARACTERS_MAX) {
      await context.sendActivity(BOT_MESSAGES.tooLong);
      return;
    }

    const shownCards = new Set(kind === 'webchat' ? await this.shownCards.get(context, []) : []);
    const stopTyping =
      kind === 'voice'
        ? () => undefined
        : keepTyping(context, this.options.typingDelayMs ?? TYPING_DELAY_MS);
    const send = (reply: Partial<Activity>) => context.sendActivity(reply);
    const plain = createReplySender({ kind, send });
    // Web Chat shows answers as they are written; other channels get each message whole.
    const replies =
      kind === 'webchat'
        ? createLivestreamSender({
            send,
            fallback: plain,
            minIntervalMs: WEBCHAT_STREAM_INTERVAL_MS,
            informativeDelayMs: INFORMATIVE_DELAY_MS,
            firstUpdateDelayMs: FIRST_STREAM_UPDATE_DELAY_MS,
            shownCards,
          })
        : { sink: plain, finish: () => Promise.resolve() };
    let finished = false;
    try {
      const data = await this.conversationData.get(context, createConversationData());
      const outcome = await this.options.turnRunner.run(
        {
          text,
          confirmation,
          modality: modalityOf(kind),
          conversationId: activity.conversation.id,
          channelId: activity.channelId,
        },
        data,
        replies.sink,
      );
      finished = true;
      await replies.finish();
      if (kind === 'webchat')
        await this.shownCards.set(context, [...shownCards].slice(-SHOWN_CARDS_KEPT));
      await this.conversationData.set(context, outcome.data);
      logger.info(
        {
          status: outcome.status,
          tools: outcome.toolRuns.map((run) => run.name),
          promptTokens: outcome.usage.promptTokens,
          completionTokens: outcome.usage.completionTokens,
        },
        'turn-end',
      );
    } finally {
      stopTyping();
      // A turn that failed half-way must not leave a half-streamed answer on the customer's screen.
      if (!finished) await replies.finish().catch(() => undefined);
    }
  }
}

function readText(context: TurnContext): string | null {
  const activity = context.activity;
  if (typeof activity.text !== 'string') return null;
  // In Teams group chats and channels the bot's @mention is part of the text; the model should not see it.
  const text =
    activity.channelId === 'msteams' ? TurnContext.removeRecipientMention(activity) : activity.text;
  return (text ?? '').trim();
}

/**
 * Sends a typing indicator once the turn has run for `delayMs`, then every few seconds until stopped. Voice
 * channels have no typing, so callers skip it there.
 */
function keepTyping(context: TurnContext, delayMs: number): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout;
  const sendTyping = () => {
    if (stopped) return;
    context.sendActivity({ type: ActivityTypes.Typing }).catch(() => undefined);
    timer = setTimeout(sendTyping, TYPING_REFRESH_MS);
  };
  timer = setTimeout(sendTyping, delayMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
