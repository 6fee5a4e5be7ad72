import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  EventFactory,
  teamsGetChannelId,
  teamsGetTeamInfo,
  teamsGetTenant,
  TurnContext,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type ConversationReference,
  type Storage,
} from 'botbuilder';
import type { Logger } from '../shared/logger';
import { deskCard, readDeskAction, type DeskActionData } from './desk-cards';
import {
  appendTranscript,
  type AgentIdentity,
  type CustomerSummary,
  type HandoffCase,
  type HandoffReason,
  type TranscriptEntry,
} from './handoff-case';
import { HandoffStore, type DeskLocation } from './handoff-store';

/** The parts of botbuilder's `CloudAdapter` the desk uses to reach conversations outside the current turn. */
export interface ProactiveAdapter {
  continueConversationAsync(
    botAppId: string,
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void>;
  createConversationAsync(
    botAppId: string,
    channelId: string,
    serviceUrl: string,
    audience: string,
    parameters: import('botbuilder').ConversationParameters,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void>;
}

export interface EscalationRequest {
  reason: HandoffReason;
  summary: string;
  recentMessages: TranscriptEntry[];
  orderIds: string[];
  customer: CustomerSummary;
}

export interface Escalation {
  caseId: string;
  /** 1 = next to be taken. */
  queuePosition: number;
  /** Whether a desk exists to post the case in; without one, nobody sees it until a team installs the bot. */
  deskAvailable: boolean;
}

/** What happened to a customer's message while their conversation has a case. */
export type CustomerRoute =
  /** Passed on to the agent who has the conversation; the assistant stays silent. */
  | { kind: 'relayed' }
  /** Collected in the desk thread while the customer waits; the assistant says where they stand. */
  | { kind: 'waiting'; queuePosition: number }
  /** The case is over (or no desk could take it): the assistant answers, with the human part for its history. */
  | { kind: 'assistant'; handedBack: HandoffCase | null };

/** The desk's words to customers and agents. */
export const DESK_MESSAGES = {
  queued: (position: number) =>
    `I've asked a person from our team to take over. You're number ${position} in the queue, and they will reply right here. Anything you write meanwhile is passed on to them.`,
  queuedNoDesk:
    "I've asked for a person from our team. Nobody can join the chat right now, so your request is recorded and someone will follow up; until then I'm still here to help.",
  stillWaiting: (position: number) =>
    `I've passed that on. You're number ${position} in the queue; a person will reply here as soon as they're free.`,
  agentJoined: (agent: string) =>
    `${agent} from our team has joined the chat and will take it from here.`,
  handedBack: (agent: string, assistant: string) =>
    `${agent} has closed the chat with you. I'm ${assistant} again: ask me anything about your orders.`,
  closedUnanswered: (assistant: string) =>
    `Our team has closed your request for a person. I'm ${assistant}, and I'm still here if you need anything.`,
  deskNotAllowed: 'Only members of the agent desk team can do that.',
  alreadyTaken: (agent: string) => `Already taken by ${agent}.`,
  alreadyClosed: 'This conversation is closed already.',
  acceptFirst: 'Press **Accept** on the card first; then your replies here go to the customer.',
  notYourCase: (agent: string) =>
    `${agent} has this conversation, so your message was not sent to the customer.`,
  closedThread: 'This conversation is closed; messages here no longer reach the customer.',
  notDelivered:
    "That message could not be delivered to the customer (their channel did not take it). It is kept in the case's transcript; try again in a moment.",
  hubFailed:
    "I'm sorry, I couldn't reach a person just now. I'm still here to help, and you can ask for a person again later.",
  deskSet: (channel: string) =>
    `This channel is now the agent desk: new escalations will appear here (${channel}).`,
  deskPinned:
    "The agent desk is in another team or set in configuration (AGENT_DESK_TEAM_ID, AGENT_DESK_CHANNEL_ID), so this channel can't become the desk.",
} as const;

/** Command an agent types in a desk thread to hand the customer back. */
const CLOSE_COMMAND = /^\s*\/?close\s*\.?\s*$/i;
/** Command a team member types (with an @mention) in a channel to make it the desk. */
const SET_DESK_COMMAND =
  /^\s*\/?(set|use)\s+(this\s+channel\s+as\s+(the\s+)?)?(agent\s+)?desk\s*\.?\s*$/i;

/** `createConversationAsync` takes the connector's default audience when none is given. */
const DEFAULT_AUDIENCE = undefined as unknown as string;

export interface TeamsAgentDeskOptions {
  adapter: ProactiveAdapter;
  /** The bot's Microsoft App ID; empty in local mode. */
  appId: string;
  storage: Storage;
  logger: Logger;
  assistantName: string;
  /** Pins the desk: only this team's installation counts, and cards go to this channel. */
  configured?: { teamId?: string; channelId?: string };
  now?: () => Date;
}

/**
 * The agent desk in a Teams channel. An escalation becomes a new thread there with a card (customer, channel,
 * verified or not, summary, orders, last messages, Accept / Close); the agent who accepts talks to the customer
 * by replying in the thread, on whatever channel the customer is; Close hands the customer back to the assistant.
 * Everything is kept in the bot's `Storage`, so a restart or another instance carries on where this one stopped.
 */
export class TeamsAgentDesk {
  private readonly store: HandoffStore;
  private readonly now: () => Date;

  constructor(private readonly options: TeamsAgentDeskOptions) {
    this.store = new HandoffStore(options.storage);
    this.now = options.now ?? (() => new Date());
  }

  /** The case with this id, as stored. */
  getCase(caseId: string): Promise<HandoffCase | null> {
    return this.store.getCase(caseId);
  }

  /** Waiting case ids, oldest first. */
  queue(): Promise<string[]> {
    return this.store.queue();
  }

  desk(): Promise<DeskLocation | null> {
    return this.store.desk();
  }

  /**
   * Learns the desk from an installation in a team (a `conversationUpdate` adding the bot, or an
   * `installationUpdate`), then posts the cases that were waiting for a desk. Returns whether it did.
   */
  async learnDeskFromInstallation(context: TurnContext): Promise<boolean> {
    const team = teamOf(context.activity);
    if (team === null) return false;
    const configured = this.options.configured ?? {};
    if (configured.teamId !== undefined && configured.teamId !== team.id) return false;
    // Customer conversations go wherever the desk is, so another team installing the bot later must not take
    // it over; only configuration (or the desk team itself) moves it.
    const current = await this.store.desk();
    if (configured.teamId === undefined && current !== null && current.teamId !== team.id)
      return false;
    // The General channel's id is the team's id; a configured channel, or the channel chosen before, wins.
    const channelId =
      configured.channelId ?? (current?.teamId === team.id ? current.channelId : team.id);
    await this.saveDesk(context, team, channelId);
    return true;
  }

  /**
   * A message in a Teams team channel: a desk thread (an agent writing to their customer, or `close`), or a
   * command making that channel the desk. Returns false for anything else, which the assistant then answers.
   */
  async handleChannelMessage(context: TurnContext): Promise<boolean> {
    const activity = context.activity;
    const fallbackAction = readDeskAction(undefined, activity.value);
    if (fallbackAction !== null) {
      await announce(context, await this.handleCardAction(context, fallbackAction));
      return true;
    }
    const text = (TurnContext.removeRecipientMention(activity) ?? activity.text ?? '').trim();
    const caseId = await this.store.caseIdForThread(activity.conversation.id);
    if (caseId === null) {
      if (!SET_DESK_COMMAND.test(text)) return false;
      await this.setDeskHere(context);
      return true;
    }
    if (CLOSE_COMMAND.test(text)) {
      await announce(context, await this.close(context, caseId, agentOf(activity)));
      return true;
    }
    await this.relayFromAgent(context, caseId, text);
    return true;
  }

  /** An `Action.Execute` from a desk card: Accept or Close. Answers with the card as it now stands. */
  async handleInvoke(
    context: TurnContext,
    verb: unknown,
    data: unknown,
  ): Promise<AdaptiveCardInvokeResponse | null> {
    const action = readDeskAction(verb, data);
    if (action === null) return null;
    return this.handleCardAction(context, action);
  }

  /**
   * Records an escalation, queues it, and posts its card as a new thread in the desk. On channels other than
   * Teams it also sends the standard `handoff.initiate` event, so a contact-center hub listening on the channel
   * could take the conversation instead.
   */
  async escalate(context: TurnContext, request: EscalationRequest): Promise<Escalation> {
    const activity = context.activity;
    const value: HandoffCase = {
      id: randomUUID(),
      status: 'queued',
      reason: request.reason,
      summary: request.summary,
      recentMessages: request.recentMessages,
      orderIds: request.orderIds,
      customer: request.customer,
      channelId: activity.channelId,
      customerReference: TurnContext.getConversationReference(activity),
      requestedAt: this.now().toISOString(),
      thread: null,
      acceptedBy: null,
      acceptedAt: null,
      closedBy: null,
      closedAt: null,
      outcome: null,
      transcript: [],
    };
    await this.store.createCase(value);
    const queuePosition = await this.store.enqueue(value.id);
    const desk = await this.store.desk();
    const logger = this.options.logger.child({ caseId: value.id, channelId: value.channelId });
    let posted = false;
    if (desk === null) {
      logger.warn(
        'handoff-no-desk: install the bot in the agents team or set AGENT_DESK_CHANNEL_ID',
      );
    } else {
      posted = await this.postCase(desk, value, queuePosition);
    }
    logger.info({ reason: value.reason, queuePosition, posted }, 'handoff-request');
    if (activity.channelId !== 'msteams') {
      await context
        .sendActivity(
          EventFactory.createHandoffInitiation(
            context,
            {
              caseId: value.id,
              reason: value.reason,
              summary: value.summary,
              queuePosition,
              orderIds: value.orderIds,
            },
            { activities: request.recentMessages.map((entry) => transcriptActivity(entry)) },
          ),
        )
        .catch((error: unknown) => logger.warn({ error }, 'handoff-event-failed'));
    }
    return { caseId: value.id, queuePosition, deskAvailable: posted };
  }

  /**
   * A customer's message while their conversation has a case: into the desk thread (waiting or taken), or back
   * to the assistant once the case is closed. `text` must already be redacted.
   */
  async routeCustomerMessage(
    context: TurnContext,
    caseId: string,
    text: string,
  ): Promise<CustomerRoute> {
    const current = await this.store.getCase(caseId);
    if (current === null) return { kind: 'assistant', handedBack: null };
    if (current.status === 'closed') return { kind: 'assistant', handedBack: current };
    // A case no desk has seen yet leaves the customer with the assistant; it is posted when a desk appears. One
    // a contact-center hub took (`handoff.status`) has no thread: the hub reads the channel itself.
    if (current.thread === null) {
      return current.status === 'active'
        ? { kind: 'relayed' }
        : { kind: 'assistant', handedBack: null };
    }
    const name = current.customer.verified?.name ?? current.customer.displayName;
    await this.store.updateCase(caseId, (latest) => ({
      ...latest,
      transcript: appendTranscript(latest.transcript, {
        from: 'customer',
        name,
        text,
        at: this.now().toISOString(),
      }),
    }));
    // The case's transcript has the message even if the thread cannot be reached right now.
    await this.sendToThread(current, `**${name}:** ${text}`).catch((error: unknown) =>
      this.options.logger.error({ error, caseId }, 'handoff-relay-failed'),
    );
    if (current.status === 'active') return { kind: 'relayed' };
    const queue = await this.store.queue();
    const index = queue.indexOf(caseId);
    return { kind: 'waiting', queuePosition: index < 0 ? 1 : index + 1 };
  }

  /** A `handoff.status` event from a contact-center hub on the customer's channel. */
  async applyHubStatus(
    caseId: string,
    state: unknown,
    hubName = 'the contact center',
  ): Promise<HandoffCase | null> {
    if (state !== 'accepted' && state !== 'completed' && state !== 'failed') return null;
    const agent: AgentIdentity = { id: 'hub', name: hubName };
    const now = this.now().toISOString();
    const result = await this.store.updateCase(caseId, (latest) => {
      if (latest.status === 'closed') return null;
      if (state === 'accepted') {
        return latest.status === 'queued'
          ? { ...latest, status: 'active', acceptedBy: agent, acceptedAt: now }
          : null;
      }
      return {
        ...latest,
        status: 'closed',
        closedBy: agent,
        closedAt: now,
        outcome: state === 'completed' ? 'completed_by_hub' : 'failed_at_hub',
      };
    });
    if (result === null) return null;
    if (result.changed) {
      await this.store.dequeue(caseId);
      await this.refreshCard(result.value);
    }
    return result.value;
  }

  private async handleCardAction(
    context: TurnContext,
    action: DeskActionData,
  ): Promise<AdaptiveCardInvokeResponse> {
    const desk = await this.store.desk();
    if (desk === null || teamOf(context.activity)?.id !== desk.teamId) {
      return messageResponse(DESK_MESSAGES.deskNotAllowed);
    }
    const agent = agentOf(context.activity);
    return action.handoffAction === 'accept'
      ? this.accept(context, action.caseId, agent)
      : this.close(context, action.caseId, agent);
  }

  private async accept(
    context: TurnContext,
    caseId: string,
    agent: AgentIdentity,
  ): Promise<AdaptiveCardInvokeResponse> {
    const now = this.now().toISOString();
    const result = await this.store.updateCase(caseId, (latest) =>
      latest.status === 'queued'
        ? {
            ...latest,
            status: 'active',
            acceptedBy: agent,
            acceptedAt: now,
            transcript: appendTranscript(latest.transcript, {
              from: 'system',
              name: agent.name,
              text: `${agent.name} took the conversation.`,
              at: now,
            }),
          }
        : null,
    );
    if (result === null) return messageResponse(DESK_MESSAGES.alreadyClosed);
    const value = result.value;
    if (!result.changed) {
      return messageResponse(
        value.status === 'active'
          ? DESK_MESSAGES.alreadyTaken(value.acceptedBy?.name ?? 'another agent')
          : DESK_MESSAGES.alreadyClosed,
      );
    }
    await this.store.dequeue(caseId);
    this.options.logger.info({ caseId, agentId: agent.id }, 'handoff-accept');
    await this.sendToCustomer(value, DESK_MESSAGES.agentJoined(agent.name));
    await this.updateCardInPlace(context, value);
    return cardResponse(value);
  }

  private async close(
    context: TurnContext,
    caseId: string,
    agent: AgentIdentity,
  ): Promise<AdaptiveCardInvokeResponse> {
    const now = this.now().toISOString();
    const result = await this.store.updateCase(caseId, (latest) =>
      latest.status === 'closed'
        ? null
        : {
            ...latest,
            status: 'closed',
            closedBy: agent,
            closedAt: now,
            outcome: latest.status === 'active' ? 'resolved_by_agent' : 'closed_unanswered',
            transcript: appendTranscript(latest.transcript, {
              from: 'system',
              name: agent.name,
              text: `${agent.name} closed the conversation.`,
              at: now,
            }),
          },
    );
    if (result === null || !result.changed) return messageResponse(DESK_MESSAGES.alreadyClosed);
    const value = result.value;
    await this.store.dequeue(caseId);
    this.options.logger.info(
      { caseId, agentId: agent.id, outcome: value.outcome },
      'handoff-close',
    );
    await this.sendToCustomer(
      value,
      value.outcome === 'resolved_by_agent'
        ? DESK_MESSAGES.handedBack(value.acceptedBy?.name ?? agent.name, this.options.assistantName)
        : DESK_MESSAGES.closedUnanswered(this.options.assistantName),
    );
    await this.updateCardInPlace(context, value);
    return cardResponse(value);
  }

  private async relayFromAgent(context: TurnContext, caseId: string, text: string): Promise<void> {
    const current = await this.store.getCase(caseId);
    if (current === null) return;
    const agent = agentOf(context.activity);
    if (current.status === 'closed') {
      await context.sendActivity(DESK_MESSAGES.closedThread);
      return;
    }
    if (current.status === 'queued') {
      await context.sendActivity(DESK_MESSAGES.acceptFirst);
      return;
    }
    if (current.acceptedBy === null || !sameAgent(current.acceptedBy, agent)) {
      await context.sendActivity(
        DESK_MESSAGES.notYourCase(current.acceptedBy?.name ?? 'Another agent'),
      );
      return;
    }
    if (text === '') return;
    await this.store.updateCase(caseId, (latest) => ({
      ...latest,
      transcript: appendTranscript(latest.transcript, {
        from: 'agent',
        name: agent.name,
        text,
        at: this.now().toISOString(),
      }),
    }));
    try {
      await this.sendToCustomer(current, `**${agent.name}:** ${text}`);
    } catch (error) {
      this.options.logger.error({ error, caseId }, 'handoff-relay-failed');
      await context.sendActivity(DESK_MESSAGES.notDelivered);
    }
  }

  private async setDeskHere(context: TurnContext): Promise<void> {
    const team = teamOf(context.activity);
    const channelId = channelOf(context.activity);
    const configured = this.options.configured ?? {};
    if (team === null || channelId === null) return;
    const current = await this.store.desk();
    if (
      configured.channelId !== undefined ||
      (configured.teamId !== undefined && configured.teamId !== team.id) ||
      (configured.teamId === undefined && current !== null && current.teamId !== team.id)
    ) {
      await context.sendActivity(DESK_MESSAGES.deskPinned);
      return;
    }
    await this.saveDesk(context, team, channelId);
    await context.sendActivity(DESK_MESSAGES.deskSet(channelId));
  }

  private async saveDesk(
    context: TurnContext,
    team: { id: string; name?: string },
    channelId: string,
  ): Promise<void> {
    const activity = context.activity;
    const desk: DeskLocation = {
      teamId: team.id,
      channelId,
      ...(team.name === undefined ? {} : { teamName: team.name }),
      ...(tenantOf(activity) === undefined ? {} : { tenantId: tenantOf(activity) }),
      serviceUrl: activity.serviceUrl,
      bot: { id: activity.recipient.id, name: activity.recipient.name ?? '' },
      learnedAt: this.now().toISOString(),
    };
    await this.store.setDesk(desk);
    this.options.logger.info(
      { teamId: desk.teamId, channelId: desk.channelId },
      'handoff-desk-learned',
    );
    await this.postWaitingCases(desk);
  }

  /** Cases queued while there was no desk get their threads now, oldest first. */
  private async postWaitingCases(desk: DeskLocation): Promise<void> {
    const queue = await this.store.queue();
    for (const [index, caseId] of queue.entries()) {
      const waiting = await this.store.getCase(caseId);
      if (waiting === null || waiting.thread !== null || waiting.status !== 'queued') continue;
      await this.postCase(desk, waiting, index + 1);
    }
  }

  /** Starts the case's thread in the desk channel with its card. Returns whether it could. */
  private async postCase(
    desk: DeskLocation,
    value: HandoffCase,
    queuePosition: number,
  ): Promise<boolean> {
    const card: Partial<Activity> = {
      type: ActivityTypes.Message,
      attachments: [deskCard(value, { queuePosition })],
      summary: `A customer is waiting for a person (${value.id.slice(0, 8)})`,
    };
    let threadId: string | null = null;
    try {
      await this.options.adapter.createConversationAsync(
        this.options.appId,
        'msteams',
        desk.serviceUrl,
        DEFAULT_AUDIENCE,
        {
          isGroup: true,
          bot: desk.bot,
          channelData: {
            channel: { id: desk.channelId },
            ...(desk.tenantId === undefined ? {} : { tenant: { id: desk.tenantId } }),
          },
          ...(desk.tenantId === undefined ? {} : { tenantId: desk.tenantId }),
          activity: card as Activity,
        },
        (created) => {
          threadId = created.activity.conversation.id;
          return Promise.resolve();
        },
      );
    } catch (error) {
      this.options.logger.error({ error, caseId: value.id }, 'handoff-post-failed');
      return false;
    }
    if (threadId === null) return false;
    const conversationId: string = threadId;
    // Teams names a channel thread `<channel>;messageid=<id of its first message>`: the card's id.
    const cardActivityId = /;messageid=(.+)$/.exec(conversationId)?.[1] ?? '';
    const thread: NonNullable<HandoffCase['thread']> = {
      conversationId,
      cardActivityId,
      reference: {
        channelId: 'msteams',
        serviceUrl: desk.serviceUrl,
        bot: desk.bot,
        conversation: {
          id: conversationId,
          isGroup: true,
          conversationType: 'channel',
          name: '',
          ...(desk.tenantId === undefined ? {} : { tenantId: desk.tenantId }),
        },
      },
    };
    await this.store.linkThread(conversationId, value.id);
    await this.store.updateCase(value.id, (latest) => ({ ...latest, thread }));
    return true;
  }

  /** Shows the case's current state on its card for everyone in the thread, outside any desk turn. */
  private async refreshCard(value: HandoffCase): Promise<void> {
    const thread = value.thread;
    if (thread === null || thread.cardActivityId === '') return;
    await this.continueIn(thread.reference, async (context) => {
      await this.updateCardInPlace(context, value);
    });
  }

  private async updateCardInPlace(context: TurnContext, value: HandoffCase): Promise<void> {
    const thread = value.thread;
    if (thread === null || thread.cardActivityId === '') return;
    // The invoke response already redraws the card for the agent who pressed; this redraws it for everyone.
    await context
      .updateActivity({
        id: thread.cardActivityId,
        type: ActivityTypes.Message,
        attachments: [deskCard(value)],
        conversation: thread.reference.conversation,
      })
      .catch((error: unknown) =>
        this.options.logger.warn({ error, caseId: value.id }, 'handoff-card-update-failed'),
      );
  }

  private async sendToThread(value: HandoffCase, text: string): Promise<void> {
    if (value.thread === null) return;
    await this.continueIn(value.thread.reference, async (context) => {
      await context.sendActivity({ type: ActivityTypes.Message, text, textFormat: 'markdown' });
    });
  }

  private async sendToCustomer(value: HandoffCase, text: string): Promise<void> {
    await this.continueIn(value.customerReference, async (context) => {
      await context.sendActivity({ type: ActivityTypes.Message, text, textFormat: 'markdown' });
    });
  }

  private async continueIn(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    await this.options.adapter.continueConversationAsync(this.options.appId, reference, logic);
  }
}

/** A typed command or an `Action.Submit` has no invoke response: its message goes to the thread instead. */
async function announce(context: TurnContext, response: AdaptiveCardInvokeResponse): Promise<void> {
  const value: unknown = response.value;
  if (response.type === 'application/vnd.microsoft.activity.message' && typeof value === 'string') {
    await context.sendActivity(value);
  }
}

function messageResponse(text: string): AdaptiveCardInvokeResponse {
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: text as never,
  };
}

function cardResponse(value: HandoffCase): AdaptiveCardInvokeResponse {
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.card.adaptive',
    value: deskCard(value).content as never,
  };
}

// botbuilder's Teams helpers read `channelData`; an id that is not a non-empty string counts as missing.
function teamOf(activity: Partial<Activity>): { id: string; name?: string } | null {
  const team = teamsGetTeamInfo(activity as Activity);
  if (typeof team?.id !== 'string' || team.id === '') return null;
  return { id: team.id, ...(typeof team.name === 'string' ? { name: team.name } : {}) };
}

function channelOf(activity: Partial<Activity>): string | null {
  const channelId = teamsGetChannelId(activity as Activity);
  return typeof channelId === 'string' && channelId !== '' ? channelId : null;
}

function tenantOf(activity: Partial<Activity>): string | undefined {
  const fromChannelData = teamsGetTenant(activity as Activity)?.id;
  if (typeof fromChannelData === 'string') return fromChannelData;
  return activity.conversation?.tenantId;
}

function agentOf(activity: Partial<Activity>): AgentIdentity {
  const from = activity.from;
  return {
    id: from?.id ?? 'unknown',
    name: from?.name !== undefined && from.name !== '' ? from.name : 'An agent',
    ...(from?.aadObjectId === undefined ? {} : { aadObjectId: from.aadObjectId }),
  };
}

function sameAgent(left: AgentIdentity, right: AgentIdentity): boolean {
  if (left.aadObjectId !== undefined && right.aadObjectId !== undefined) {
    return left.aadObjectId === right.aadObjectId;
  }
  return left.id === right.id;
}

function transcriptActivity(entry: TranscriptEntry): Activity {
  return {
    type: ActivityTypes.Message,
    text: entry.text,
    timestamp: new Date(entry.at),
    from: { id: entry.from, name: entry.name, role: entry.from === 'customer' ? 'user' : 'bot' },
  } as Activity;
}
