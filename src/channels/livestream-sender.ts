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
  now?: () => number;
}

type StreamType = 'informative' | 'streaming' | 'final';

/**
 * Livestreams the model's answer the way Web Chat (and Teams) show it: typing activities with the cumulative
 * text and `channelData.streamType/streamSequence/streamId`, the first one's id becoming the stream's id, then
 * a final message with the whole text. While tools run, the stream says what is happening ("Looking up order
 * #W…") as informative updates. Clients that cannot stream (Direct Line polling) ignore typing activities and
 * get the final message, which is complete on its own.
 *
 * The Bot Framework's `streaminfo` entity form is not sent: botbuilder 4.23's serializer drops an entity's
 * fields other than `type` on the wire, and Web Chat 4.18 reads `channelData`.
 */
export function createLivestreamSender(options: LivestreamOptions): StreamingReplySender {
  const now = options.now ?? Date.now;
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
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let updateScheduled = false;
  /** The answer is complete and queued: its final message carries the text, so pending updates are moot. */
  let finalQueued = false;
  let informativeTimer: NodeJS.Timeout | null = null;
  /** Orders and trackings the turn looked up, by order id, waiting for an answer that mentions them. */
  const orders = new Map<string, Readonly<Record<string, unknown>>>();
  const trackings = new Map<string, Readonly<Record<string, unknown>>>();
  /** Policy passages found this turn, cited under the next answer. */
  let sources: readonly { title: string; section: string }[] = [];
  /** Set when a streamed update fails (a 403 on Teams means the customer pressed Stop): no more updates. */
  let broken = false;

  const cancelInformative = () => {
    if (informativeTimer !== null) clearTimeout(informativeTimer);
    informativeTimer = null;
  };

  /** Forgets the stream in progress; its text was either sent in a final message or is abandoned. */
  const endStream = () => {
    streamId = null;
    sequence = 0;
    finalQueued = false;
  };

  const sendUpdate = async (streamType: Exclude<StreamType, 'final'>, updateText: string) => {
    if (broken) return;
    sequence += 1;
    const activity: Partial<Activity> = {
      type: ActivityTypes.Typing,
      text: updateText,
      channelData: {
        streamType,
        streamSequence: sequence,
        ...(streamId === null ? {} : { streamId }),
      },
    };
    try {
      const response = await options.send(activity);
      lastSentAt = now();
      if (streamId === null) {
        const id = readId(response);
        // Without an id (some Direct Line deployments return none) there is no stream to continue.
        if (id === null) broken = true;
        else streamId = id;
      }
    } catch {
      broken = true;
    }
  };

  const flushText = async () => {
    updateScheduled = false;
    if (finalQueued || text === sentText || text.trim() === '') return;
    const snapshot = text;
    await sendUpdate('streaming', snapshot);
    sentText = snapshot;
  };

  const scheduleTextUpdate = () => {
    if (updateScheduled || broken) return;
    updateScheduled = true;
    const wait =
      streamId === null && sentText === ''
        ? (options.firstUpdateDelayMs ?? 0)
        : Math.max(0, lastSentAt + options.minIntervalMs - now());
    if (wait === 0) {
      void enqueue(flushText);
      return;
    }
    setTimeout(() => void enqueue(flushText), wait).unref();
  };

  /** Ends an open stream: with the answer's text, or (no answer) with an empty final update, so it clears. */
  const closeStream = async (finalText: string | null) => {
    const id = streamId;
    const open = id !== null && !broken;
    endStream();
    broken = false;
    if (finalText === null) {
      if (open) {
        await options
          .send({
            type: ActivityTypes.Typing,
            channelData: { streamType: 'final', streamId: id },
          })
          .catch(() => undefined);
      }
      return;
    }
    if (!open) {
      await options.fallback({ type: 'message', text: finalText });
      return;
    }
    await options.send({
      type: ActivityTypes.Message,
      text: finalText,
      textFormat: 'markdown',
      channelData: { streamType: 'final', streamId: id },
    });
  };

  /**
   * After an answer: a card for each order it mentions that the turn looked up (a delivery timeline when the
   * order was tracked), each at most once, with the likely next questions as buttons. A livestream's final
   * message carries only text (Web Chat's advice), so cards follow in a message of their own.
   */
  const sendCardsFor = async (answer: string) => {
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
    if (cards.length === 0) return;
    const actions = last === null ? [] : nextQuestions(last);
    await options.send({
      type: ActivityTypes.Message,
      attachments: cards,
      attachmentLayout: 'list',
      ...(actions.length === 0 ? {} : { suggestedActions: { to: [], actions } }),
    });
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
          await closeStream(answer);
          await sendCardsFor(part.text);
        });
      }
      case 'sources':
        sources = part.sources;
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
      return enqueue(() => closeStream(null));
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
