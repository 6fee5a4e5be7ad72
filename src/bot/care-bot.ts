import {
  type Activity,
  ActivityTypes,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  TeamsActivityHandler,
  TeamsInfo,
  teamsGetTeamId,
  TurnContext,
  type ConversationState,
  type StatePropertyAccessor,
} from 'botbuilder';
import {
  channelKindOf,
  isTeamsPersonalChat,
  modalityOf,
  type ChannelKind,
} from '../channels/channel-kind';
import {
  CONFIRMATION_VERB,
  decidedConfirmationCard,
  readConfirmationValue,
} from '../channels/confirmation-card';
import { createLivestreamSender, teamsLivestreamOptions } from '../channels/livestream-sender';
import { withAssistantAvatar } from '../channels/card-avatar';
import { createReplySender, imageLocation, profileAvatarEvent } from '../channels/reply-sender';
import { createConversationData, type ConversationData } from '../conversation/conversation-state';
import type { TurnOutcome, TurnRunner } from '../conversation/turn-runner';
import { DESK_MESSAGES, type TeamsAgentDesk } from '../handoff/agent-desk';
import { redactSensitiveText } from '../privacy';
import type { Logger } from '../shared/logger';
import { customerStateKey } from './customer-conversation-state';
import type { HandoffCoordinator } from './handoff-coordinator';
import type { MoodCoordinator } from './mood-coordinator';
import type { RecommendationCoordinator } from './recommendation-coordinator';
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
/** Teams asks for an update every 1.5 to 2 seconds in a personal chat (`TEAMS_STREAM_INTERVAL_MS`). */
export const TEAMS_STREAM_INTERVAL_MS = 1_500;
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
  deskIntro: (assistant: string) =>
    `Hi, I'm ${assistant}. This channel is now the agent desk: when a customer needs a person, their conversation appears here as a new thread with Accept and Close buttons.`,
} as const;

export interface CareBotOptions {
  conversationState: ConversationState;
  turnRunner: TurnRunner;
  logger: Logger;
  welcomeText: string;
  /** How long a turn runs before the customer sees a typing indicator; {@link TYPING_DELAY_MS} by default. */
  typingDelayMs?: number;
  /** Least time between streamed updates in a Teams personal chat; {@link TEAMS_STREAM_INTERVAL_MS} by default. */
  teamsStreamIntervalMs?: number;
  assistantName?: string;
  /** The agent desk in Teams; without it a request for a person is only recorded in the conversation. */
  desk?: TeamsAgentDesk;
  /** Sends customers to the desk and back; required with `desk`. */
  handoff?: HandoffCoordinator;
  /** Judges each customer message's mood alongside the turn and offers a person on a sharp turn to anger. */
  mood?: MoodCoordinator;
  /** Suggests products at the close of a happy conversation, and takes a "No thanks". */
  recommendations?: RecommendationCoordinator;
  /**
   * Verifies a Teams customer by the email of their Teams sign-in: returns the customer id for an email, or
   * null. Absent: Teams customers verify in conversation like everyone else.
   */
  identifyBySignIn?: (email: string) => Promise<string | null>;
  /** The server's public origin (`PUBLIC_BASE_URL`): images in Teams and on other channels need it. */
  publicBaseUrl?: string | null;
  /** The assistant's avatar as an absolute URL, shown in the header of its Teams cards; null: none. */
  assistantAvatarUrl?: string | null;
  /**
   * Where a verified customer's profile avatar is served, or null: a Web Chat customer who verifies is then
   * shown with the avatar they made in an earlier conversation.
   */
  profileAvatarUrl?: (customerId: string) => Promise<string | null>;
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
      if (!(await this.handleTeamsChannelMessage(context)))
        await this.runCustomerTurn(context, null);
      await next();
    });

    this.onInstallationUpdateAdd(async (context, next) => {
      await this.learnDesk(context);
      await next();
    });

    this.onEvent(async (context, next) => {
      await this.handleHandoffStatus(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient.id;
      const added = context.activity.membersAdded ?? [];
      if (isTeamScope(context.activity)) {
        // A team is where agents work, not customers: the bot's arrival there makes it the desk, no welcome.
        if (added.some((member) => member.id === botId)) await this.learnDesk(context);
      } else if (added.some((member) => member.id !== botId)) {
        await context.sendActivity({
          type: ActivityTypes.Message,
          text: options.welcomeText,
          textFormat: 'markdown',
        });
      }
      await next();
    });
  }

  /** Turns of one conversation (one member's, in shared Teams chats) run one after another. */
  override async run(context: TurnContext): Promise<void> {
    await this.lock.run(customerStateKey(context.activity), async () => {
      await super.run(context);
      await this.options.conversationState.saveChanges(context, false);
    });
  }

  /** Turns queued or running now, for graceful shutdown. */
  get activeConversations(): number {
    return this.lock.size;
  }

  /**
   * An `Action.Execute` press: a desk card's Accept or Close, or a customer's answer on a Teams confirmation
   * card, which runs the turn and redraws the card with the decision.
   */
  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const action = invokeValue.action;
    const deskResponse = await this.options.desk?.handleInvoke(context, action.verb, action.data);
    if (deskResponse !== undefined && deskResponse !== null) return deskResponse;
    const pressed = action.verb === CONFIRMATION_VERB ? readConfirmationValue(action.data) : null;
    if (pressed === null) {
      return {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: 'This button is not known here.' },
      };
    }
    const data = await this.conversationData.get(context, createConversationData());
    const summary =
      data.pendingConfirmation?.id === pressed.id ? data.pendingConfirmation.summary : null;
    const outcome = await this.runCustomerTurn(context, pressed);
    const ran = outcome?.toolRuns.find((run) => run.name === data.pendingConfirmation?.toolName);
    const result =
      summary === null || outcome === null || outcome.status === 'ignored'
        ? 'stale'
        : pressed.decision === 'no'
          ? 'declined'
          : ran?.ok === true
            ? 'done'
            : 'failed';
    return {
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
      value: decidedConfirmationCard(summary, result).content as never,
    };
  }

  /**
   * A message in a Teams team channel: a desk thread or a desk command goes to the desk; anything else is only
   * answered when it @mentions the bot (with resource-specific consent the bot receives every channel message).
   * Returns true when the assistant must not answer it.
   */
  private async handleTeamsChannelMessage(context: TurnContext): Promise<boolean> {
    const activity = context.activity;
    if (activity.channelId !== 'msteams' || activity.conversation.conversationType !== 'channel') {
      return false;
    }
    if (
      this.options.desk !== undefined &&
      (await this.options.desk.handleChannelMessage(context))
    ) {
      return true;
    }
    const botId = activity.recipient.id;
    return !TurnContext.getMentions(activity).some((mention) => mention.mentioned.id === botId);
  }

  private async learnDesk(context: TurnContext): Promise<void> {
    if (this.options.desk === undefined || !isTeamScope(context.activity)) return;
    if (await this.options.desk.learnDeskFromInstallation(context)) {
      await context.sendActivity(
        BOT_MESSAGES.deskIntro(this.options.assistantName ?? 'the assistant'),
      );
    }
  }

  /** `handoff.status` from a contact-center hub that took (or finished) this conversation's case. */
  private async handleHandoffStatus(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (activity.name !== 'handoff.status' || this.options.desk === undefined) return;
    const data = await this.conversationData.get(context, createConversationData());
    const caseId = data.handoff?.caseId;
    if (caseId === undefined) return;
    const state = (activity.value as { state?: unknown } | undefined)?.state;
    const updated = await this.options.desk.applyHubStatus(caseId, state);
    if (updated?.status === 'closed') {
      await this.conversationData.set(context, { ...data, handoff: null });
      if (updated.outcome === 'failed_at_hub') await context.sendActivity(DESK_MESSAGES.hubFailed);
    }
  }

  /** Verifies a Teams customer by their sign-in email, once per conversation, when configured. */
  private async verifyBySignIn(
    context: TurnContext,
    kind: ChannelKind,
    data: ConversationData,
  ): Promise<ConversationData> {
    const identify = this.options.identifyBySignIn;
    if (
      identify === undefined ||
      kind !== 'teams' ||
      data.customerId !== null ||
      data.signInChecked
    ) {
      return data;
    }
    let customerId: string | null = null;
    try {
      const member = await TeamsInfo.getMember(context, context.activity.from.id);
      const email = member.email ?? member.userPrincipalName;
      if (typeof email === 'string' && email.includes('@')) customerId = await identify(email);
    } catch (error) {
      this.options.logger.warn(
        { error, conversationId: context.activity.conversation.id },
        'sign-in-lookup-failed',
      );
    }
    if (customerId !== null)
      this.options.logger.info({ customerId }, 'customer-verified-by-sign-in');
    return { ...data, signInChecked: true, ...(customerId === null ? {} : { customerId }) };
  }

  /** Tells the web page of a customer who just verified which avatar their profile has, if any. */
  private async showProfileAvatar(context: TurnContext, customerId: string): Promise<void> {
    const path = await this.options.profileAvatarUrl?.(customerId).catch((error: unknown) => {
      this.options.logger.warn({ error }, 'profile-avatar-lookup-failed');
      return null;
    });
    if (path === undefined || path === null) return;
    const url = imageLocation(path, {
      kind: 'webchat',
      publicBaseUrl: this.options.publicBaseUrl ?? null,
    });
    if (url !== null) await context.sendActivity(profileAvatarEvent(url));
  }

  /** One customer turn; `pressed` is a Teams confirmation card's answer. Null when no turn ran. */
  private async runCustomerTurn(
    context: TurnContext,
    pressed: { id: string; decision: 'yes' | 'no' } | null,
  ): Promise<TurnOutcome | null> {
    const activity = context.activity;
    const kind = channelKindOf(activity.channelId);
    const confirmation = pressed ?? readConfirmationValue(activity.value);
    const text = confirmation === null ? readText(context) : null;
    const logger = this.options.logger.child({
      conversationId: activity.conversation.id,
      activityId: activity.id,
      channelId: activity.channelId,
    });

    // A "No thanks" to suggested products (its button posts no text) is answered without a model turn.
    // A conversation with no state yet has had no offer; reading without a default keeps it stateless.
    const current =
      this.options.recommendations === undefined || confirmation !== null
        ? undefined
        : await this.conversationData.get(context);
    if (this.options.recommendations !== undefined && current !== undefined) {
      const declined = await this.options.recommendations.handleDecline(context, current, {
        text: text === null ? null : redactSensitiveText(text).text,
        logger,
      });
      if (declined !== null) {
        await this.conversationData.set(context, declined);
        return null;
      }
    }
    if (confirmation === null && (text === null || text === '')) {
      await context.sendActivity(BOT_MESSAGES.textOnly);
      return null;
    }
    if (text !== null && text.length > MESSAGE_CHARACTERS_MAX) {
      await context.sendActivity(BOT_MESSAGES.tooLong);
      return null;
    }

    let data = await this.verifyBySignIn(
      context,
      kind,
      await this.conversationData.get(context, createConversationData()),
    );
    // The customer's words without card numbers: what people at the desk and the mood judge may read.
    const redacted = text === null ? null : redactSensitiveText(text).text;
    if (this.options.handoff !== undefined) {
      // While people have the conversation, the customer's words go to them.
      const before = await this.options.handoff.beforeTurn(context, data, redacted);
      data = before.data;
      if (before.kind === 'with-people') {
        await this.conversationData.set(context, data);
        return null;
      }
    }

    // Web Chat and Teams personal chats show answers as they are written; other channels get each message whole.
    const streaming =
      kind === 'webchat' ? 'webchat' : isTeamsPersonalChat(activity) ? 'teams' : null;
    const shownCards = new Set(streaming !== null ? await this.shownCards.get(context, []) : []);
    const stopTyping =
      kind === 'voice'
        ? () => undefined
        : keepTyping(context, this.options.typingDelayMs ?? TYPING_DELAY_MS);
    const avatarUrl = kind === 'teams' ? (this.options.assistantAvatarUrl ?? null) : null;
    const send = (reply: Partial<Activity>) => {
      // Once an answer streams, the stream shows the assistant at work: a bare typing indicator between its
      // updates would only spend the channel's rate limit.
      if (isStreamUpdate(reply)) stopTyping();
      return context.sendActivity(
        avatarUrl === null
          ? reply
          : withAssistantAvatar(reply, avatarUrl, this.options.assistantName ?? 'Assistant'),
      );
    };
    const plain = createReplySender({
      kind,
      send,
      publicBaseUrl: this.options.publicBaseUrl ?? null,
    });
    // Pressing Stop on a Teams stream ends the turn: the model stops writing an answer nobody will see.
    const streamStop = new AbortController();
    const replies =
      streaming === null
        ? { sink: plain, finish: () => Promise.resolve() }
        : createLivestreamSender({
            send,
            fallback: plain,
            minIntervalMs:
              streaming === 'teams'
                ? (this.options.teamsStreamIntervalMs ?? TEAMS_STREAM_INTERVAL_MS)
                : WEBCHAT_STREAM_INTERVAL_MS,
            informativeDelayMs: INFORMATIVE_DELAY_MS,
            firstUpdateDelayMs: FIRST_STREAM_UPDATE_DELAY_MS,
            shownCards,
            ...(streaming === 'teams'
              ? teamsLivestreamOptions(() => {
                  logger.info('stream-stop');
                  streamStop.abort();
                })
              : {}),
          });
    // Judged while the turn runs, so the answer never waits for it; settled once the answer is out.
    const mood = redacted === null ? null : (this.options.mood?.start(redacted) ?? null);
    let finished = false;
    try {
      const outcome = await this.options.turnRunner.run(
        {
          text,
          confirmation,
          modality: modalityOf(kind),
          conversationId: activity.conversation.id,
          channelId: activity.channelId,
          signal: streamStop.signal,
        },
        data,
        replies.sink,
      );
      finished = true;
      await replies.finish();
      // The answer is out: what follows (the handoff, the mood) must not show the assistant typing again.
      stopTyping();
      if (streaming !== null)
        await this.shownCards.set(context, [...shownCards].slice(-SHOWN_CARDS_KEPT));
      let next =
        this.options.handoff === undefined
          ? outcome.data
          : await this.options.handoff.afterTurn(context, outcome);
      if (mood !== null) {
        next = await mood.finish(context, next, {
          kind,
          handoffRequested: outcome.handoff !== null,
          logger,
        });
      }
      if (this.options.recommendations !== undefined) {
        // After the mood is settled: the closing message's mood counts.
        next = await this.options.recommendations.afterTurn(context, {
          data: next,
          text,
          status: outcome.status,
          kind,
          send,
          logger,
        });
      }
      await this.conversationData.set(context, next);
      if (kind === 'webchat' && data.customerId === null && outcome.data.customerId !== null) {
        await this.showProfileAvatar(context, outcome.data.customerId);
      }
      logger.info(
        {
          status: outcome.status,
          tools: outcome.toolRuns.map((run) => run.name),
          promptTokens: outcome.usage.promptTokens,
          completionTokens: outcome.usage.completionTokens,
        },
        'turn-end',
      );
      return outcome;
    } finally {
      stopTyping();
      mood?.cancel();
      // A turn that failed half-way must not leave a half-streamed answer on the customer's screen.
      if (!finished) await replies.finish().catch(() => undefined);
    }
  }
}

function isStreamUpdate(activity: Partial<Activity>): boolean {
  const channelData = activity.channelData as { streamType?: unknown } | undefined;
  return typeof channelData?.streamType === 'string';
}

/** A Teams team (its channels), as opposed to a personal or group chat. */
function isTeamScope(activity: Partial<Activity>): boolean {
  return activity.channelId === 'msteams' && teamsGetTeamId(activity as Activity) !== null;
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
