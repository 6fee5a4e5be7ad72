import { ConversationState, type Activity, type TurnContext } from 'botbuilder';

/**
 * Whose assistant state an activity belongs to. In a Teams group chat or channel, several people share one
 * conversation, but each of them verifies and talks to the assistant on their own: one member's verification
 * must never show another member that customer's orders. So there the key names the member as well.
 */
export function customerStateKey(activity: Partial<Activity>): string {
  const conversationId = activity.conversation?.id ?? '';
  if (!isSharedTeamsConversation(activity)) return conversationId;
  const member = activity.from?.aadObjectId ?? activity.from?.id ?? '';
  return `${conversationId}/members/${member}`;
}

function isSharedTeamsConversation(activity: Partial<Activity>): boolean {
  if (activity.channelId !== 'msteams') return false;
  const type = activity.conversation?.conversationType;
  return type === 'groupChat' || type === 'channel' || activity.conversation?.isGroup === true;
}

/** Where a turn keeps the state it loaded (botbuilder's own cache slot is private to `BotState`). */
const LOADED = Symbol('customer-conversation-state');

interface Loaded {
  key: string;
  state: Record<string, unknown>;
}

/**
 * `ConversationState` with one state per member in shared Teams conversations (see {@link customerStateKey}).
 * Elsewhere the key is botbuilder's own, so state written before stays readable.
 *
 * It also skips `BotState`'s change detection, which serializes the whole state three times a turn (a hash
 * on load, again to compare on save, again after the write) on top of the storage's own serialization: the
 * assistant changes its state on practically every turn that reads it (history, usage), so a state that was
 * loaded is simply written back. A turn that never reads the state writes nothing.
 */
export class CustomerConversationState extends ConversationState {
  override async load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
    const loaded = context.turnState.get<Loaded | undefined>(LOADED);
    if (loaded !== undefined && !force) return loaded.state;
    const key = this.requireKey(context);
    const items = await this.storage.read([key]);
    const state = (items[key] as Record<string, unknown> | undefined) ?? {};
    context.turnState.set(LOADED, { key, state } satisfies Loaded);
    return state;
  }

  override async saveChanges(context: TurnContext, _force = false): Promise<void> {
    const loaded = context.turnState.get<Loaded | undefined>(LOADED);
    if (loaded === undefined) return;
    // Last writer wins, as with botbuilder's own BotState: turns of one conversation run one at a time.
    loaded.state.eTag = '*';
    await this.storage.write({ [loaded.key]: loaded.state });
  }

  override get(context: TurnContext): Record<string, unknown> | undefined {
    return context.turnState.get<Loaded | undefined>(LOADED)?.state;
  }

  override clear(context: TurnContext): Promise<void> {
    context.turnState.set(LOADED, { key: this.requireKey(context), state: {} } satisfies Loaded);
    return Promise.resolve();
  }

  override async delete(context: TurnContext): Promise<void> {
    context.turnState.delete(LOADED);
    await this.storage.delete([this.requireKey(context)]);
  }

  private requireKey(context: TurnContext): string {
    const key = this.getStorageKey(context);
    if (key === undefined)
      throw new Error('ConversationState: the activity names no channel or conversation.');
    return key;
  }

  override getStorageKey(context: TurnContext): string | undefined {
    const key = super.getStorageKey(context);
    const activity = context.activity;
    if (key === undefined || !isSharedTeamsConversation(activity)) return key;
    const conversationPart = `/conversations/${activity.conversation.id}/`;
    return key.replace(conversationPart, `/conversations/${customerStateKey(activity)}/`);
  }
}
