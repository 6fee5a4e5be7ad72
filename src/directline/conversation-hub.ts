import { randomUUID } from 'node:crypto';
import { isRecord } from '../shared/is-record';

/** An activity as the Direct Line server stores and serves it: always with a server id and a timestamp. */
export interface StoredActivity extends Record<string, unknown> {
  id: string;
  type: string;
  timestamp: string;
}

/** A client's live connection (the WebSocket stream). */
export interface StreamSubscriber {
  send(frame: string): void;
  close(code: number, reason: string): void;
}

/** Activities kept per conversation for polling and reconnects; older ones are dropped, watermarks go on. */
const ACTIVITIES_KEPT = 500;

/** One Direct Line conversation: its activities in order, numbered by watermark, and its live stream. */
export class DirectLineConversation {
  private readonly activities: { watermark: number; activity: StoredActivity }[] = [];
  private sequence = 0;
  private subscriber: StreamSubscriber | null = null;
  /** Activities for the bot go one after another, in the order the client sent them. */
  private deliveries: Promise<void> = Promise.resolve();
  /** When the client posted its recent activities, for the rate limit. */
  private recentPosts: number[] = [];
  /** The bot has been told the conversation started (its conversationUpdate went out). */
  started = false;
  lastActiveMs: number;

  constructor(
    readonly id: string,
    readonly userId: string,
    private readonly now: () => number,
  ) {
    this.lastActiveMs = now();
  }

  /** The watermark of the newest activity ('' before any). */
  get watermark(): string {
    return this.sequence === 0 ? '' : String(this.sequence);
  }

  /**
   * Stores an activity with a new server id and timestamp, and pushes it to the live stream. Typing activities
   * (and so livestreamed text) are pushed but not stored: like the real service, polling never returns them.
   */
  append(activity: Record<string, unknown>): StoredActivity {
    this.sequence += 1;
    this.lastActiveMs = this.now();
    const channelData = isRecord(activity.channelData) ? activity.channelData : {};
    const stored: StoredActivity = {
      ...activity,
      type: typeof activity.type === 'string' ? activity.type : 'message',
      id: `${this.id}|${String(this.sequence).padStart(7, '0')}`,
      timestamp: new Date(this.now()).toISOString(),
      // Web Chat orders the transcript by this when a channel gives it, and otherwise guesses from timestamps
      // and stream sequences; its guess puts a new livestream before an older one (the first update of every
      // stream has no stream id yet). The server's own order is the truth.
      channelData: { ...channelData, 'webchat:sequence-id': this.sequence },
    };
    if (stored.type !== 'typing') {
      this.activities.push({ watermark: this.sequence, activity: stored });
      if (this.activities.length > ACTIVITIES_KEPT) this.activities.shift();
    }
    this.subscriber?.send(JSON.stringify({ activities: [stored], watermark: this.watermark }));
    return stored;
  }

  /** Replaces a stored activity (the bot updated it) and pushes the new version. False when unknown. */
  replace(activityId: string, activity: Record<string, unknown>): boolean {
    const entry = this.activities.find((candidate) => candidate.activity.id === activityId);
    if (entry === undefined) return false;
    entry.activity = {
      ...activity,
      type: entry.activity.type,
      id: activityId,
      timestamp: entry.activity.timestamp,
    };
    this.subscriber?.send(
      JSON.stringify({ activities: [entry.activity], watermark: this.watermark }),
    );
    return true;
  }

  /** Stored activities after `watermark` (all when it is empty or unknown), with the newest watermark. */
  activitiesAfter(watermark: string | undefined): {
    activities: StoredActivity[];
    watermark: string;
  } {
    const after = watermark === undefined || watermark === '' ? 0 : Number(watermark);
    const from = Number.isFinite(after) ? after : 0;
    return {
      activities: this.activities
        .filter((entry) => entry.watermark > from)
        .map((entry) => entry.activity),
      watermark: this.watermark,
    };
  }

  /** Attaches the live stream; a second stream replaces the first, which closes with reason `collision`. */
  subscribe(subscriber: StreamSubscriber, watermark: string | undefined): void {
    this.subscriber?.close(1000, 'collision');
    this.subscriber = subscriber;
    this.lastActiveMs = this.now();
    const backlog = this.activitiesAfter(watermark);
    if (backlog.activities.length > 0) subscriber.send(JSON.stringify(backlog));
  }

  unsubscribe(subscriber: StreamSubscriber): void {
    if (this.subscriber === subscriber) this.subscriber = null;
  }

  get streaming(): boolean {
    return this.subscriber !== null;
  }

  /** Counts a client post against the limit; false when `max` posts already came within `windowMs`. */
  admitPost(max: number, windowMs: number): boolean {
    const now = this.now();
    this.recentPosts = this.recentPosts.filter((time) => time > now - windowMs);
    if (this.recentPosts.length >= max) return false;
    this.recentPosts.push(now);
    return true;
  }

  /** Queues work for the bot behind earlier deliveries of this conversation. */
  deliver(work: () => Promise<void>): Promise<void> {
    const next = this.deliveries.then(work);
    this.deliveries = next.catch(() => undefined);
    return next;
  }

  close(reason: string): void {
    this.subscriber?.close(1001, reason);
    this.subscriber = null;
  }
}

/**
 * The embedded Direct Line server's conversations, in memory: local mode serves one machine's browser tabs and
 * tests, and the bot's own state (history, verification) is in its storage, not here. Idle conversations
 * without a stream are forgotten after `idleMs`, so memory stays bounded.
 */
export class ConversationHub {
  private readonly conversations = new Map<string, DirectLineConversation>();

  constructor(
    private readonly options: { idleMs: number; maxConversations: number; now?: () => number },
  ) {}

  private get now(): () => number {
    return this.options.now ?? Date.now;
  }

  /** A new conversation with an unguessable id, or null when the server holds as many as it may. */
  create(userId: string): DirectLineConversation | null {
    this.sweep();
    if (this.conversations.size >= this.options.maxConversations) return null;
    const conversation = new DirectLineConversation(randomUUID(), userId, this.now);
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  get(conversationId: string): DirectLineConversation | undefined {
    return this.conversations.get(conversationId);
  }

  get size(): number {
    return this.conversations.size;
  }

  /** Forgets conversations idle for longer than `idleMs` that have no live stream. */
  sweep(): void {
    const cutoff = this.now() - this.options.idleMs;
    for (const [id, conversation] of this.conversations) {
      if (!conversation.streaming && conversation.lastActiveMs < cutoff)
        this.conversations.delete(id);
    }
  }

  closeAll(reason: string): void {
    for (const conversation of this.conversations.values()) conversation.close(reason);
  }
}
