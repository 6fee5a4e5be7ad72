import {
  ActivityEventNames,
  ActivityTypes,
  TurnContext,
  type Activity,
  type Middleware,
  type TranscriptLogger,
} from 'botbuilder';
import { redactedJson } from '../privacy';
import { describeError } from '../shared/errors';
import type { Logger } from '../shared/logger';

/**
 * What the customer (or an agent) does that belongs in a transcript. Typing, `conversationUpdate` (members
 * joining), `installationUpdate` and reactions are presence and housekeeping, not conversation.
 */
const INCOMING_TYPES: ReadonlySet<string> = new Set<string>([
  ActivityTypes.Message,
  ActivityTypes.MessageUpdate,
  ActivityTypes.MessageDelete,
  ActivityTypes.Event,
  ActivityTypes.Invoke,
  ActivityTypes.EndOfConversation,
  ActivityTypes.Handoff,
]);

/**
 * What the bot sends that belongs in a transcript. Typing activities are left out: a streamed answer is a
 * series of typing activities each carrying all the text so far (Teams and Web Chat livestreaming), and its
 * final message holds the whole answer. Invoke responses and traces are protocol, not conversation.
 */
const OUTGOING_TYPES: ReadonlySet<string> = new Set<string>([
  ActivityTypes.Message,
  ActivityTypes.Event,
  ActivityTypes.EndOfConversation,
  ActivityTypes.Handoff,
]);

export interface TranscriptMiddlewareOptions {
  /** Where the redacted activities go: the transcript store. */
  transcripts: TranscriptLogger;
  logger: Logger;
}

/**
 * Keeps a transcript of every conversation: the activities a customer or agent sends (messages, card actions,
 * events) and the bot's messages and events, each a redacted copy (card numbers, and security codes and
 * expiry dates beside them, removed from every string at any depth: `text`, `speak`, `value`, card content,
 * `channelData`, entities).
 *
 * Why not botbuilder's `TranscriptLoggerMiddleware`: it stores every typing activity (each streamed update
 * again with all its text), writes nothing when the bot's turn throws (it flushes after the turn, so the very
 * turns worth reading are lost), sets `from.role` on the live incoming activity, and reports failures with
 * `console.error`. Here an incoming activity is written before the turn runs, each reply once the channel has
 * accepted it (with the id the channel gave it), an update as `messageUpdate`, a delete as `messageDelete`.
 * Skipped: botbuilder's `ContinueConversation` event that starts a proactive turn (its messages are kept), and
 * `signin/*` invokes, which carry tokens.
 *
 * A transcript write never fails or holds up a turn: the store's promise is not awaited, and any error (a
 * closed or broken store, an activity JSON cannot hold) is logged as `transcript-write-failed` with ids only.
 * What remains on the turn's path is the copy, the redaction and, with SQLite, the insert: about a quarter of a
 * millisecond for a message with a 20-line card.
 * Channel retries are not deduplicated: an activity delivered twice is stored twice.
 */
export class TranscriptMiddleware implements Middleware {
  constructor(private readonly options: TranscriptMiddlewareOptions) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (isKeptIncoming(context.activity)) this.record(context.activity, 'user');

    context.onSendActivities(async (_context, activities, nextSend) => {
      const responses = await nextSend();
      activities.forEach((activity, index) => {
        if (activity.type === undefined || !OUTGOING_TYPES.has(activity.type)) return;
        this.record({ ...activity, id: responses[index]?.id ?? activity.id }, 'bot');
      });
      return responses;
    });
    context.onUpdateActivity(async (_context, activity, nextUpdate) => {
      await nextUpdate();
      this.record({ ...activity, type: ActivityTypes.MessageUpdate }, 'bot');
    });
    context.onDeleteActivity(async (_context, reference, nextDelete) => {
      await nextDelete();
      this.record(
        TurnContext.applyConversationReference(
          { type: ActivityTypes.MessageDelete, id: reference.activityId },
          reference,
          false,
        ),
        'bot',
      );
    });

    await next();
  }

  /** Writes a redacted deep copy of `activity`; the live activity is never changed. */
  private record(activity: Partial<Activity>, role: 'user' | 'bot'): void {
    try {
      // Through JSON, so every object is plain (a card built by a class, a Date), the redaction reaches all of
      // it, and the copy is exactly what a JSON store keeps; redacted while it is written, in one pass.
      const copy = JSON.parse(redactedJson(activity)) as Activity;
      const from = copy.from as Activity['from'] | undefined;
      if (from !== undefined) copy.from = { ...from, role: from.role ?? role };
      Promise.resolve(this.options.transcripts.logActivity(copy)).catch((error: unknown) =>
        this.failed(activity, error),
      );
    } catch (error) {
      this.failed(activity, error);
    }
  }

  private failed(activity: Partial<Activity>, error: unknown): void {
    this.options.logger.error(
      {
        channelId: activity.channelId,
        conversationId: activity.conversation?.id,
        activityId: activity.id,
        activityType: activity.type,
        error: describeError(error),
      },
      'transcript-write-failed',
    );
  }
}

/** `Activity.type` and `name` are plain strings on the wire; botbuilder's enums name some of their values. */
const CONTINUE_CONVERSATION: string = ActivityEventNames.ContinueConversation;
const EVENT: string = ActivityTypes.Event;
const INVOKE: string = ActivityTypes.Invoke;

function isKeptIncoming(activity: Partial<Activity>): boolean {
  const { type, name } = activity;
  if (type === undefined || !INCOMING_TYPES.has(type)) return false;
  if (type === EVENT && name === CONTINUE_CONVERSATION) return false;
  return !(type === INVOKE && name?.startsWith('signin/') === true);
}
