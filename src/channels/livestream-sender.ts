import { createHash } from 'node:crypto';
import { ActivityTypes, type Activity, type Attachment } from 'botbuilder';
import type { ReplyPart, ReplyPartSink } from '../conversation/reply-parts';
import { nextQuestions, orderCard, orderIdOf, shipmentCard } from './order-cards';
import type { SendActivity } from './reply-sender';

/** What the bot calls while a turn runs, and once after it. */
export interface StreamingReplySender {
  sink: ReplyPartSink;
  /** Concludes a stream left open (say, by a confirmation card) and waits for everything to be sent. */
  finish(): Promise<void>;
}

export interface LivestreamOptions {
  send: SendActivity;
  /** Renders everything that is not streamed text (messages without a stream, cards, handoff notes). */
  fallback: ReplyPartSink;
  /**
   * Least time between two streamed updates. The first update goes at once, so the customer sees the first
   * words as soon as the model writes them; later ones carry all the text so far, so skipped updates lose
   * nothing. Web Chat takes updates as fast as they come; Teams asks for one every 1.5 to 2 seconds.
   */
  minIntervalMs: number;
  /**
   * How long a tool must run before the stream says what is happening. A quick lookup needs no "Looking up
   * order…", and skipping it spares a channel call; 0 sends it at once.
   */
  informativeDelayMs?: number;
  /**
   * How long the first words wait for more before they are sent. An answer that is complete within it goes as
   * one plain message (one channel call instead of three); a streamed one starts this much later.
   */
  firstUpdateDelayMs?: number;
  /**
   * Cards this conversation has shown already (keys from {@link cardKey}): an unchanged order is not shown
   * twice in a row. The sender adds the keys of the cards it sends.
   */
  shownCards?: Set<string>;
  /**
   * Also send each activity's stream fields as a `streaminfo` entity, the form Teams reads; `channelData`, the
   * form Web Chat 4.18 reads, carries them either way (both, as the Teams AI library sends). Default false.
   */
  streamInfoEntity?: boolean;
  /** Informative texts are cut to this many characters (Teams refuses more than 1000). Default: no limit. */
  informativeCharactersMax?: number;
  /**
   * How long after its first update a stream takes more; later text waits for the final message. Teams ends a
   * stream after two minutes ({@link TEAMS_STREAM_LIMITS}). Default: no limit.
   */
  streamDurationMaxMs?: number;
  /**
   * How a stream with no answer ends (before a confirmation card, or when a turn fails): `typing`, an empty final
   * typing activity that clears it (Web Chat's way), or `message`, a final message keeping the last text shown
   * (Teams takes no typing activity but those that start or continue a stream). With `message`, a stream that
   * stopped taking updates (one failed, or time ran out) still ends with its final message rather than being
   * left open, as Teams would show it unfinished. Default `typing`.
   */
  closeWithoutAnswer?: 'typing' | 'message';
  /**
   * Called once when the channel refuses a streamed update with 403: on Teams, the customer pressed Stop. The
   * stream is over, so nothing more of it is sent, not even its final message or cards, and the caller should
   * stop the turn. A final message refused for another reason (or after `streamDurationMaxMs`) is sent again as
   * a plain message. Without it, a 403 is like any other failed update (streaming stops and the whole answer
   * goes as a plain message) and a refused final message fails the send.
   */
  onStreamStopped?: () => void;
  /** The clock that paces updates, in milliseconds; `performance.now()` by default. */
  now?: () => number;
}

/** What Teams allows a streamed reply (platform-facts §2.1). */
export const TEAMS_STREAM_LIMITS = {
  /** "Informative messages must not be more than 1 kb or 1000 characters." */
  informativeCharactersMax: 1_000,
  /**
   * Teams ends a stream two minutes after it began and refuses later updates with 403, the same answer as for
   * the Stop button. Updates stop ten seconds earlier, so a 403 on an update always means Stop; the rest of the
   * answer comes in the final message, or (should that be refused too) as a plain message.
   */
  durationMaxMs: 110_000,
} as const;

/**
 * The options that make a livestream speak Teams' protocol in a personal chat (platform-facts §2.1): the
 * `streaminfo` entity, its limits, a stream always closed by a message, and `onStopped` when the customer
 * presses Stop. The pace (`minIntervalMs`, 1.5 to 2 s on Teams) is the caller's.
 */
export function teamsLivestreamOptions(
  onStopped: () => void,
): Pick<
  LivestreamOptions,
  | 'streamInfoEntity'
  | 'informativeCharactersMax'
  | 'streamDurationMaxMs'
  | 'closeWithoutAnswer'
  | 'onStreamStopped'
> {
  return {
    streamInfoEntity: true,
    informativeCharactersMax: TEAMS_STREAM_LIMITS.informativeCharactersMax,
    streamDurationMaxMs: TEAMS_STREAM_LIMITS.durationMaxMs,
    closeWithoutAnswer: 'message',
    onStreamStopped: onStopped,
  };
}

type StreamType = 'informative' | 'streaming' | 'final';

interface StreamFields {
  streamType: StreamType;
  streamSequence?: number;
  streamId?: string;
}

/**
 * Livestreams the model's answer the way Web Chat (and Teams) show it: typing activities with the cumulative
 * text and `channelData.streamType/streamSequence/streamId`, the first one's id becoming the stream's id, then
 * a final message with the whole text. While tools run, the stream says what is happening ("Looking up order
 * #W…") as informative updates. Clients that cannot stream (Direct Line polling) ignore typing activities and
 * get the final message, which is complete on its own.
 *
 * Teams reads the same fields from a `streaminfo` entity, sent too with `streamInfoEntity` (it needs
 * `keepEntityFieldsOnTheWire` from bot/, or botbuilder 4.23 sends the entity without them). Its other rules are
 * options as well: see {@link TEAMS_STREAM_LIMITS}, `closeWithoutAnswer` and `onStreamStopped`.
 */
export function createLivestreamSender(options: LivestreamOptions): StreamingReplySender {
  // A monotonic clock with sub-millisecond precision: whole milliseconds could make a gap one short.
  const now = options.now ?? (() => performance.now());
  let chain: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<void>): Promise<void> => {
    chain = chain.then(work);
    return chain;
  };

  // The stream in progress: none until the first informative or text update.
  let streamId: string | null = null;
  let sequence = 0;
  let text = '';
  let sentText = '';
  /** The text of the stream's last update, informative or not, which an answer-less Teams stream ends with. */
  let shownText = '';
  let lastSentAt = Number.NEGATIVE_INFINITY;
  /** When the stream's first update went, for `streamDurationMaxMs`. */
  let streamStartedAt: number | null = null;
  let updateScheduled = false;
  /** The answer is complete and queued: its final message carries the text, so pending updates are moot. */
  let finalQueued = false;
  let informativeTimer: NodeJS.Timeout | null = null;
  /** Orders and trackings the turn looked up, by order id, waiting for an answer that mentions them. */
  const orders = new Map<string, Readonly<Record<string, unknown>>>();
  const trackings = new Map<string, Readonly<Record<string, unknown>>>();
  /** Policy passages found this turn, cited under the next answer. */
  let sources: readonly { title: string; section: string }[] = [];
  /** Pictures made this turn (a new avatar), shown under the next answer like cards. */
  let images: Extract<ReplyPart, { type: 'image' }>[] = [];
  /** Set when a streamed update fails or the stream ran its time: no more updates, the final says the rest. */
  let broken = false;
  /** Set when the channel stopped the stream (`onStreamStopped`): nothing more is sent for this turn's answers. */
  let stopped = false;

  const cancelInformative = () => {
    if (informativeTimer !== null) clearTimeout(informativeTimer);
    informativeTimer = null;
  };

  /** Forgets the stream in progress; its text was either sent in a final message or is abandoned. */
  const endStream = () => {
    streamId = null;
    sequence = 0;
    shownText = '';
    streamStartedAt = null;
    finalQueued = false;
  };

  /** The stream's fields where the channel reads them: `channelData`, and a `streaminfo` entity if asked. */
  const streamActivity = (
    activity: Partial<Activity>,
    fields: StreamFields,
  ): Partial<Activity> => ({
    ...activity,
    channelData: { ...fields },
    ...(options.streamInfoEntity === true ? { entities: [{ type: 'streaminfo', ...fields }] } : {}),
  });

  const outOfTime = () =>
    streamStartedAt !== null &&
    options.streamDurationMaxMs !== undefined &&
    now() - streamStartedAt >= options.streamDurationMaxMs;

  const stop = () => {
    stopped = true;
    cancelInformative();
    options.onStreamStopped?.();
  };

  const sendUpdate = async (streamType: Exclude<StreamType, 'final'>, updateText: string) => {
    if (broken || stopped) return;
    if (outOfTime()) {
      broken = true;
      return;
    }
    sequence += 1;
    const shown =
      streamType === 'informative'
        ? limitText(updateText, options.informativeCharactersMax)
        : updateText;
    const activity = streamActivity(
      { type: ActivityTypes.Typing, text: shown },
      {
        streamType,
        streamSequence: sequence,
        ...(streamId === null ? {} : { streamId }),
      },
    );
    try {
      streamStartedAt ??= now();
      const response = await options.send(activity);
      lastSentAt = now();
      shownText = shown;
      if (streamId === null) {
        const id = readId(response);
        // Without an id (some Direct Line deployments return none) there is no stream to continue.
        if (id === null) broken = true;
        else streamId = id;
      }
    } catch (error) {
      if (isForbidden(error) && options.onStreamStopped !== undefined) stop();
      else broken = true;
    }
  };

  const flushText = async () => {
    // The pace counts from the end of the previous send, which may have been in flight when this was scheduled.
    const wait = lastSentAt + options.minIntervalMs - now();
    if (wait > 0 && !finalQueued && !stopped) {
      setTimeout(() => void enqueue(flushText), wait).unref();
      return;
    }
    updateScheduled = false;
    if (finalQueued || stopped || text === sentText || text.trim() === '') return;
    const snapshot = text;
    await sendUpdate('streaming', snapshot);
    sentText = snapshot;
  };

  const scheduleTextUpdate = () => {
    if (updateScheduled || broken || stopped) return;
    updateScheduled = true;
    const wait =
      streamId === null && sentText === ''
        ? (options.firstUpdateDelayMs ?? 0)
        : Math.max(0, lastSentAt + options.minIntervalMs - now());
    if (wait === 0) {
      void enqueue(flushText);
      return;
    }
    // Pacing is a timer, not a wait in the turn: the model keeps writing and other conversations keep going.
    setTimeout(() => void enqueue(flushText), wait).unref();
  };

  /**
   * Ends an open stream: with the answer's text, or (no answer) as `closeWithoutAnswer` says, so it clears. An
   * answer that never streamed goes as one plain message, which also carries the answer's cards when
   * `takeCards` gives any; resolves to whether it did.
   */
  const closeStream = async (
    finalText: string | null,
    takeCards: () => Partial<Activity> | null = () => null,
  ): Promise<boolean> => {
    const id = streamId;
    const open = id !== null && !broken;
    const startedAt = streamStartedAt;
    const lastText = shownText;
    endStream();
    broken = false;
    if (stopped) return false;
    if (finalText === null) {
      if (id === null) return false;
      if (options.closeWithoutAnswer === 'message') {
        // Even a stream that stopped taking updates is closed, or Teams shows it unfinished.
        await options
          .send(
            streamActivity(
              { type: ActivityTypes.Message, text: lastText, textFormat: 'markdown' },
              { streamType: 'final', streamId: id },
            ),
          )
          .catch(() => undefined);
      } else if (open) {
        await options
          .send(
            streamActivity({ type: ActivityTypes.Typing }, { streamType: 'final', streamId: id }),
          )
          .catch(() => undefined);
      }
      return false;
    }
    if (!open && (id === null || options.closeWithoutAnswer !== 'message')) {
      const cards = takeCards();
      if (cards === null) await options.fallback({ type: 'message', text: finalText });
      else await options.send({ ...cards, text: finalText, textFormat: 'markdown' });
      return cards !== null;
    }
    try {
      await options.send(
        streamActivity(
          { type: ActivityTypes.Message, text: finalText, textFormat: 'markdown' },
          { streamType: 'final', streamId: id },
        ),
      );
    } catch (error) {
      // Within the stream's time a 403 is the Stop button pressed as the answer ended; after it, the channel
      // closed the stream for running long, and the answer still goes, as a message of its own.
      const withinTime =
        startedAt === null ||
        options.streamDurationMaxMs === undefined ||
        now() - startedAt < options.streamDurationMaxMs;
      if (isForbidden(error) && options.onStreamStopped !== undefined && withinTime) {
        stop();
        return false;
      }
      if (options.onStreamStopped === undefined) throw error;
      await options.fallback({ type: 'message', text: finalText });
    }
    return false;
  };

  /**
   * The cards for an answer: one for each order it mentions that the turn looked up (a delivery timeline when
   * the order was tracked), each at most once, with the likely next questions as buttons; null when there are
   * none. A livestream's final message carries only text (Web Chat's advice), so after a streamed answer they
   * follow in a message of their own; an answer sent whole carries them itself, one message instead of two.
   */
  const takeCardsFor = (answer: string): Partial<Activity> | null => {
    const mentioned = [...answer.matchAll(/#W\d{7}/gu)].map((match) => match[0]);
    const cards: Attachment[] = [];
    let last: Readonly<Record<string, unknown>> | null = null;
    for (const orderId of new Set(mentioned)) {
      // A tracked order shows its delivery timeline; otherwise (or with nothing shipped) its summary.
      const candidates = [
        { data: trackings.get(orderId), build: shipmentCard },
        { data: orders.get(orderId), build: orderCard },
      ];
      trackings.delete(orderId);
      orders.delete(orderId);
      for (const { data, build } of candidates) {
        if (data === undefined) continue;
        const key = cardKey(data);
        if (options.shownCards?.has(key)) break;
        const card = build(data);
        if (card === null) continue;
        options.shownCards?.add(key);
        cards.push(card);
        last = data;
        break;
      }
    }
    if (cards.length === 0) return null;
    const actions = last === null ? [] : nextQuestions(last);
    return {
      type: ActivityTypes.Message,
      attachments: cards,
      attachmentLayout: 'list',
      ...(actions.length === 0 ? {} : { suggestedActions: { to: [], actions } }),
    };
  };

  const sendImages = async () => {
    const pending = images;
    images = [];
    for (const image of pending) await options.fallback(image);
  };

  const sink: ReplyPartSink = (part: ReplyPart) => {
    switch (part.type) {
      case 'text-delta':
        cancelInformative();
        text += part.text;
        scheduleTextUpdate();
        return;
      case 'status': {
        // Informative updates go before the answer's text starts; once text streams it says enough.
        if (text !== '') return;
        const delay = options.informativeDelayMs ?? 0;
        if (delay === 0 || streamId !== null)
          return enqueue(() => sendUpdate('informative', part.text));
        cancelInformative();
        informativeTimer = setTimeout(() => {
          informativeTimer = null;
          if (text === '' && !finalQueued) void enqueue(() => sendUpdate('informative', part.text));
        }, delay);
        informativeTimer.unref();
        return;
      }
      case 'message': {
        cancelInformative();
        // The final message carries the whole text; what streams next belongs to the next answer.
        finalQueued = true;
        text = '';
        sentText = '';
        const answer = sources.length === 0 ? part.text : `${part.text}\n\n${sourcesLine(sources)}`;
        sources = [];
        return enqueue(async () => {
          const cardsSent = await closeStream(answer, () => takeCardsFor(part.text));
          if (stopped) return;
          const cards = cardsSent ? null : takeCardsFor(part.text);
          if (cards !== null) await options.send(cards);
          await sendImages();
        });
      }
      case 'sources':
        sources = part.sources;
        return;
      case 'image':
        images.push(part);
        return;
      case 'order': {
        // Shown as a card under the answer that mentions the order; the stream goes on meanwhile.
        const orderId = orderIdOf(part.order);
        if (orderId !== null) orders.set(orderId, part.order);
        return;
      }
      case 'shipment': {
        const orderId = orderIdOf(part.tracking);
        if (orderId !== null) trackings.set(orderId, part.tracking);
        return;
      }
      case 'confirmation':
      case 'handoff':
        cancelInformative();
        return enqueue(async () => {
          await closeStream(null);
          await options.fallback(part);
        });
    }
  };

  return {
    sink,
    finish: () => {
      cancelInformative();
      text = '';
      sentText = '';
      return enqueue(async () => {
        await closeStream(null);
        // A picture whose answer never came (the turn failed after it was made) is still the customer's.
        if (!stopped) await sendImages();
      });
    },
  };
}

/** The documents an answer rests on, as a quiet line under it. */
function sourcesLine(sources: readonly { title: string; section: string }[]): string {
  return `*Sources: ${sources.map((source) => `${source.title} › ${source.section}`).join('; ')}*`;
}

/** Identifies a card's content: the same order in the same state gives the same key. */
export function cardKey(data: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(JSON.stringify(data)).digest('base64url').slice(0, 16);
}

function readId(response: unknown): string | null {
  if (typeof response !== 'object' || response === null) return null;
  const id = (response as { id?: unknown }).id;
  return typeof id === 'string' && id !== '' ? id : null;
}

/** Cuts a text to at most `max` characters, marking the cut. */
function limitText(text: string, max: number | undefined): string {
  if (max === undefined || text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Whether a send failed with HTTP 403, as botbuilder's connector client reports it (`RestError.statusCode`). */
function isForbidden(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { statusCode, status } = error as { statusCode?: unknown; status?: unknown };
  return statusCode === 403 || status === 403;
}
