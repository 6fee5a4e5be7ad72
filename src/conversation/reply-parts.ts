import type { ChangeSummary } from '../tools/define-tool';

export type { ChangeSummary };

/**
 * What a turn produces, channel-neutral. `channels/` renders these for Teams, Web Chat or voice; nothing in
 * here knows how.
 */
export type ReplyPart =
  /** A fragment of the assistant's answer as the model streams it. */
  | { type: 'text-delta'; text: string }
  /** The complete text of one answer; streaming channels close their stream with it, others just send it. */
  | { type: 'message'; text: string }
  /** What the assistant is doing while tools run ("Looking up order #W1234567…"). */
  | { type: 'status'; text: string }
  /** A change waiting for the customer's explicit yes. `id` comes back with the customer's answer. */
  | { type: 'confirmation'; id: string; toolName: string; summary: ChangeSummary }
  /** Structured data a channel may show as a card: an order the customer asked about. */
  | { type: 'order'; order: Readonly<Record<string, unknown>> }
  /** Structured data a channel may show as a timeline: the parcels of an order the customer tracked. */
  | { type: 'shipment'; tracking: Readonly<Record<string, unknown>> }
  /** The policy passages an answer is based on, for channels that show sources. */
  | { type: 'sources'; sources: readonly { title: string; section: string }[] }
  /** The conversation is being handed to people. */
  | { type: 'handoff'; summary: string }
  /**
   * A picture to show: `url` is where this server serves it (`/avatars/<id>`); channels make it absolute when
   * they must. `purpose: 'profile-avatar'` marks the customer's new avatar, which Web Chat also puts beside
   * their messages.
   */
  | { type: 'image'; url: string; contentType: string; alt: string; purpose?: 'profile-avatar' };

export type ReplyPartSink = (part: ReplyPart) => void | Promise<void>;
