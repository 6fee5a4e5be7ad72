import { performance } from 'node:perf_hooks';
import type { TurnContext } from 'botbuilder';
import type { ChannelKind } from '../channels/channel-kind';
import { PERSON_OFFER, personOfferActivity } from '../channels/person-offer';
import type { ReasoningEffort } from '../config/config';
import type { ConversationData } from '../conversation/conversation-state';
import { LexiconMoodJudge } from '../conversation/lexicon-mood-judge';
import {
  isSharpTurnToAngry,
  recordMood,
  type MoodJudge,
  type MoodJudgement,
  type MoodState,
} from '../conversation/mood';
import { ModelMoodJudge } from '../conversation/model-mood-judge';
import type { ChatModel } from '../llm/chat-model';
import type { Logger } from '../shared/logger';

/**
 * Longest the bot waits for a mood judgement once the answer has been sent. The judgement starts with the turn,
 * so it usually has the whole turn's time and is there already; when the model is slower than that, the
 * customer's next message should not queue behind it for long, and the lexicon's judgement is taken instead.
 */
export const MOOD_WAIT_AFTER_ANSWER_MS = 1_500;

export interface MoodCoordinatorOptions {
  /** The configured judge: the model one (which falls back to the lexicon by itself) or the lexicon. */
  judge: MoodJudge;
  /** Judges at once when {@link judge} is still busy after the wait. */
  lexicon: LexiconMoodJudge;
  /** {@link MOOD_WAIT_AFTER_ANSWER_MS} by default. */
  waitAfterAnswerMs?: number;
  now?: () => Date;
}

/** What the bot knows about the turn when it settles the mood. */
export interface MoodTurnDetails {
  kind: ChannelKind;
  /** The customer asked for a person in this turn (the model called the transfer tool): no offer needed. */
  handoffRequested: boolean;
  logger: Logger;
}

/** A judgement running alongside one turn. */
export interface MoodTurn {
  /**
   * After the answer was sent: waits for the judgement (at most the bound), records it in the conversation's
   * mood, and offers a person when the customer has just turned angry. Returns the new conversation data.
   */
  finish(
    context: TurnContext,
    data: ConversationData,
    details: MoodTurnDetails,
  ): Promise<ConversationData>;
  /** Stops a judgement whose turn failed; nothing is recorded. */
  cancel(): void;
}

/**
 * Judges the mood of each customer message without slowing the answer: {@link start} as the turn starts,
 * `finish` after the answer. A sharp turn to anger (see `isSharpTurnToAngry`) offers a person, once per
 * conversation and never while people already have it: a short message with a "Talk to a person" button that
 * sends a request for a person, so the normal transfer runs, and the offer goes into the history so a plain
 * "yes" is understood by GPT and the offline model alike.
 *
 * Anger that goes on after the offer is not escalated on the mood alone: the customer has been told they can
 * have a person and knows how to ask; taking the conversation away on a judgement (the lexicon's in particular)
 * could interrupt a change they are in the middle of confirming, or overrule a customer who said no. A request
 * for a person, at any time, still transfers at once.
 */
export class MoodCoordinator {
  private readonly now: () => Date;

  constructor(private readonly options: MoodCoordinatorOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Starts judging `text`: the customer's own words with card numbers already removed. */
  start(text: string): MoodTurn {
    const controller = new AbortController();
    const startedAt = performance.now();
    let judgedAt: number | null = null;
    const judgement = this.options.judge
      .judge(text, { signal: controller.signal })
      .catch(() => this.options.lexicon.judgeNow(text))
      .then((judged) => {
        judgedAt = performance.now();
        return judged;
      });
    return {
      // Only a judgement still running has anything to stop (an abort is not free: it builds an error and
      // wakes every listener of the signal).
      cancel: () => {
        if (judgedAt === null) controller.abort();
      },
      finish: async (context, data, details) => {
        const waitStartedAt = performance.now();
        const judged = await this.settle(judgement, () => {
          controller.abort();
          return this.options.lexicon.judgeNow(text);
        });
        const mood = recordMood(data.mood, judged, this.now());
        details.logger.info(
          {
            mood: mood.current,
            score: judged.score,
            source: judged.source,
            trend: mood.trend,
            judgeMs: judgedAt === null ? null : Math.round(judgedAt - startedAt),
            waitedMs: Math.round(performance.now() - waitStartedAt),
          },
          'mood-judged',
        );
        return this.offerPersonWhenTurnedAngry(context, { ...data, mood }, mood, details);
      },
    };
  }

  /** The judgement, or the lexicon's when it is not there within the wait. */
  private async settle(
    judgement: Promise<MoodJudgement>,
    instead: () => MoodJudgement,
  ): Promise<MoodJudgement> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(
        () => resolve(null),
        this.options.waitAfterAnswerMs ?? MOOD_WAIT_AFTER_ANSWER_MS,
      );
    });
    try {
      return (await Promise.race([judgement, late])) ?? instead();
    } finally {
      clearTimeout(timer);
    }
  }

  private async offerPersonWhenTurnedAngry(
    context: TurnContext,
    data: ConversationData,
    mood: MoodState,
    details: MoodTurnDetails,
  ): Promise<ConversationData> {
    const withPeople = (data.handoff ?? null) !== null || details.handoffRequested;
    if (mood.agentOffered === true || withPeople || !isSharpTurnToAngry(mood)) return data;
    await context.sendActivity(personOfferActivity(details.kind));
    details.logger.info({ score: mood.history.at(-1)?.score }, 'person-offered');
    return {
      ...data,
      mood: { ...mood, agentOffered: true },
      history: [...data.history, { role: 'assistant', content: PERSON_OFFER.text }],
    };
  }
}

/** Which judge `MOOD_JUDGE` resolved to (`auto` is resolved by config). */
export type MoodJudgeKind = 'model' | 'lexicon' | 'off';

/**
 * The coordinator for the configured judge, or null when mood judging is off. `model` is the configured cloud
 * model alone (null offline); the model judge asks it for low reasoning effort, or minimal when that is what
 * the deployment is configured for.
 */
export function createMoodCoordinator(options: {
  judge: MoodJudgeKind;
  model: ChatModel | null;
  configuredReasoningEffort?: ReasoningEffort;
  logger: Logger;
  now?: () => Date;
}): MoodCoordinator | null {
  if (options.judge === 'off') return null;
  const lexicon = new LexiconMoodJudge();
  const judge =
    options.judge === 'model' && options.model !== null
      ? new ModelMoodJudge({
          model: options.model,
          fallback: lexicon,
          reasoningEffort: options.configuredReasoningEffort === 'minimal' ? 'minimal' : 'low',
          logger: options.logger,
        })
      : lexicon;
  return new MoodCoordinator({
    judge,
    lexicon,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
}
