import { setTimeout as sleep } from 'node:timers/promises';
import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { MoodCoordinator } from '../../../src/bot/mood-coordinator';
import type { ChannelKind } from '../../../src/channels/channel-kind';
import { PERSON_OFFER } from '../../../src/channels/person-offer';
import {
  createConversationData,
  type ConversationData,
} from '../../../src/conversation/conversation-state';
import { LexiconMoodJudge } from '../../../src/conversation/lexicon-mood-judge';
import type { Mood, MoodJudge, MoodJudgement } from '../../../src/conversation/mood';
import { silentLogger } from '../../../src/shared/logger';

const WAIT_MS = 200;

/** A judge that answers `mood` (score from its band's middle) after `delayMs`, recording what it was given. */
function slowJudge(
  answers: Record<string, Mood>,
  delayMs: number,
): MoodJudge & { texts: string[] } {
  const scores: Record<Mood, number> = {
    satisfied: 0.5,
    neutral: 0,
    frustrated: -0.35,
    angry: -0.8,
  };
  const texts: string[] = [];
  return {
    texts,
    async judge(text: string): Promise<MoodJudgement> {
      texts.push(text);
      await sleep(delayMs);
      const mood = answers[text] ?? 'neutral';
      return { mood, score: scores[mood], source: 'model' };
    },
  };
}

/**
 * A bot that answers every message and then settles the mood, like CareBot; `data` is the conversation's state
 * across turns.
 */
function moodBot(
  judge: MoodJudge,
  options: { kind?: ChannelKind; data?: ConversationData } = {},
): { adapter: TestAdapter; state: { data: ConversationData }; sent: Partial<Activity>[] } {
  const coordinator = new MoodCoordinator({
    judge,
    lexicon: new LexiconMoodJudge(),
    waitAfterAnswerMs: WAIT_MS,
  });
  const state = { data: options.data ?? createConversationData() };
  const sent: Partial<Activity>[] = [];
  const adapter = new TestAdapter(async (context: TurnContext) => {
    context.onSendActivities(async (_, activities, next) => {
      sent.push(...activities);
      return next();
    });
    const turn = coordinator.start(context.activity.text ?? '');
    await context.sendActivity('the answer');
    state.data = await turn.finish(context, state.data, {
      kind: options.kind ?? 'webchat',
      handoffRequested: false,
      logger: silentLogger(),
    });
  });
  return { adapter, state, sent };
}

function offersIn(sent: Partial<Activity>[]): Partial<Activity>[] {
  return sent.filter((activity) =>
    activity.suggestedActions?.actions.some((action) => action.value === PERSON_OFFER.buttonText),
  );
}

describe('MoodCoordinator', () => {
  it('stops a judgement still running when the turn is cancelled, and leaves a finished one alone', async () => {
    const signals: AbortSignal[] = [];
    const judge: MoodJudge = {
      async judge(_text, options) {
        signals.push(options!.signal!);
        await sleep(50);
        return { mood: 'neutral', score: 0, source: 'model' };
      },
    };
    const coordinator = new MoodCoordinator({ judge, lexicon: new LexiconMoodJudge() });

    coordinator.start('where is my order').cancel();
    const finished = coordinator.start('and the other one');
    await sleep(100);
    finished.cancel();

    expect(signals.map((signal) => signal.aborted)).toEqual([true, false]);
  });

  it('records the judgement in the conversation state after the answer', async () => {
    const { adapter, state } = moodBot(slowJudge({ 'where is my order': 'neutral' }, 0));

    await adapter.send('where is my order').assertReply('the answer').startTest();

    expect(state.data.mood).toMatchObject({
      current: 'neutral',
      trend: 'steady',
      history: [{ mood: 'neutral', score: 0, source: 'model' }],
    });
  });

  it('takes the lexicon judgement when the judge is still busy after the wait', async () => {
    const judge = slowJudge({ 'This is a scam, you stole my money': 'neutral' }, WAIT_MS * 5);
    const { adapter, state } = moodBot(judge);
    const started = performance.now();

    await adapter.send('This is a scam, you stole my money').startTest();

    expect(performance.now() - started).toBeLessThan(WAIT_MS * 3);
    expect(state.data.mood?.history.at(-1)).toMatchObject({ source: 'lexicon', mood: 'angry' });
  });

  it('offers a person once when the customer turns angry, with a button asking for one', async () => {
    const judge = slowJudge({ 'this is a joke': 'angry', 'still angry': 'angry' }, 10);
    const { adapter, state, sent } = moodBot(judge);

    await adapter
      .send('where is my order')
      .assertReply('the answer')
      .send('this is a joke')
      .assertReply('the answer')
      .assertReply((activity) => expect(activity.text).toBe(PERSON_OFFER.text))
      .send('still angry')
      .assertReply('the answer')
      .startTest();

    expect(offersIn(sent)).toHaveLength(1);
    expect(offersIn(sent)[0]!.suggestedActions!.actions[0]).toMatchObject({
      type: 'imBack',
      title: 'Talk to a person',
    });
    expect(state.data.mood?.agentOffered).toBe(true);
    expect(state.data.history.at(-1)).toEqual({ role: 'assistant', content: PERSON_OFFER.text });
  });

  it('offers a person only once per conversation, even when anger comes back', async () => {
    const judge = slowJudge({ furious: 'angry', calm: 'neutral' }, 0);
    const { adapter, sent } = moodBot(judge);

    await adapter.send('furious').send('calm').send('furious').startTest();

    expect(offersIn(sent)).toHaveLength(1);
  });

  it('makes no offer while people have the conversation', async () => {
    const data = { ...createConversationData(), handoff: { caseId: 'case-1' } };
    const { adapter, state, sent } = moodBot(slowJudge({ furious: 'angry' }, 0), { data });

    await adapter.send('furious').startTest();

    expect(offersIn(sent)).toHaveLength(0);
    expect(state.data.mood?.agentOffered).toBeUndefined();
  });

  it('offers a person on the phone in words, without buttons', async () => {
    const { adapter, sent } = moodBot(slowJudge({ furious: 'angry' }, 0), { kind: 'voice' });

    await adapter.send('furious').startTest();

    const offer = sent.find((activity) => activity.text === PERSON_OFFER.voiceText);
    expect(offer?.speak).toBe(PERSON_OFFER.voiceText);
    expect(offer?.suggestedActions).toBeUndefined();
  });

  it('offers a person in Teams with a card button that sends the request as the customer', async () => {
    const { adapter, sent } = moodBot(slowJudge({ furious: 'angry' }, 0), { kind: 'teams' });

    await adapter.send('furious').startTest();

    const card = sent.flatMap((activity) => activity.attachments ?? [])[0];
    expect(card?.content).toMatchObject({
      text: PERSON_OFFER.text,
      buttons: [{ type: 'imBack', title: 'Talk to a person', value: PERSON_OFFER.buttonText }],
    });
  });
});
