import { performance } from 'node:perf_hooks';
import { LexiconMoodJudge } from '../src/conversation/lexicon-mood-judge';
import { MOOD_SYSTEM_PROMPT } from '../src/conversation/model-mood-judge';
import { ConnectorRecorder } from '../tests/helpers/connector-recorder';
import {
  startFakeOpenAiServer,
  textReply,
  type FakeOpenAiServer,
  type RecordedRequest,
} from '../tests/helpers/fake-openai-server';
import { startTestAssistant, TestCustomer } from '../tests/helpers/test-assistant';
import { HELD_OUT_MESSAGES, TUNING_MESSAGES } from '../tests/unit/conversation/mood-corpus';
import { median } from './median';

/**
 * `npx tsx bench/mood-latency.ts`: what judging the customer's mood adds to a turn.
 * - The lexicon: time per judgement over the labelled corpus (it runs inside the turn, synchronously).
 * - The real server with a local OpenAI-compatible model whose answer takes TURN_MODEL_MS: the wall time from
 *   the answer reaching the channel to the end of the turn (when the next message of the conversation can
 *   start), for MOOD_JUDGE=off, lexicon, and model with the mood answer faster than the turn, slower than the
 *   turn but within the wait, and slower than the wait. The figure is the difference to `off`. A mood past the
 *   wait costs its first turn the whole wait; the model judge then leaves the model alone for 30 s, so the
 *   turns after it are judged by the lexicon at no cost.
 */
const TURN_MODEL_MS = 300;
const TURNS_PER_SCENARIO = 15;
const LEXICON_PASSES = 200;
const ANSWER = 'Your order is on its way.';
const WARM_UP = 'Warm-up:';
/** Not a plain request ("waiting"), so the model judge is asked about it. */
const CUSTOMER_TEXT = 'Hi, where is my order #W4821001? I have been waiting.';

interface Scenario {
  name: string;
  moodJudge: 'off' | 'lexicon' | 'model';
  /** How long the model takes to answer a mood request. */
  moodModelMs?: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'off', moodJudge: 'off' },
  { name: 'lexicon', moodJudge: 'lexicon' },
  { name: 'model, mood 150 ms (faster than the turn)', moodJudge: 'model', moodModelMs: 150 },
  { name: 'model, mood 1000 ms (slower than the turn)', moodJudge: 'model', moodModelMs: 1_000 },
  { name: 'model, mood 3000 ms (past the 1.5 s wait)', moodJudge: 'model', moodModelMs: 3_000 },
];

function isMoodRequest(request: RecordedRequest): boolean {
  const messages = (request.body as { messages: { content: unknown }[] }).messages;
  return messages[0]?.content === MOOD_SYSTEM_PROMPT;
}

function lexiconTiming(): { perJudgementUs: number; messages: number } {
  const judge = new LexiconMoodJudge();
  const texts = [...TUNING_MESSAGES, ...HELD_OUT_MESSAGES].map((message) => message.text);
  for (const text of texts) judge.judgeNow(text);
  const started = performance.now();
  for (let pass = 0; pass < LEXICON_PASSES; pass += 1) {
    for (const text of texts) judge.judgeNow(text);
  }
  const elapsed = performance.now() - started;
  return {
    perJudgementUs: (elapsed * 1_000) / (LEXICON_PASSES * texts.length),
    messages: texts.length,
  };
}

async function runScenario(
  model: FakeOpenAiServer,
  recorder: ConnectorRecorder,
  scenario: Scenario,
): Promise<{ answerMs: number[]; afterAnswerMs: number[]; sources: string[] }> {
  model.reset();
  model.respond((request) => {
    if (!isMoodRequest(request)) return textReply(ANSWER, { headersDelayMs: TURN_MODEL_MS });
    const text = (request.body as { messages: { content: string }[] }).messages[1]?.content ?? '';
    // The warm-up turn's mood comes at once, so a slow scenario's first counted turn is its first slow one.
    const delay = text.startsWith(WARM_UP) ? 0 : (scenario.moodModelMs ?? 0);
    return textReply('{"mood":"neutral","score":0}', { headersDelayMs: delay });
  });
  const assistant = await startTestAssistant({
    OPENAI_BASE_URL: model.openAiBaseUrl,
    OPENAI_MODEL: 'gpt-5-mini',
    LLM_FALLBACK_TO_OFFLINE: 'false',
    MOOD_JUDGE: scenario.moodJudge,
    // The customers here are not on a streaming channel: one answer message per turn.
    TRANSCRIPTS_ENABLED: 'false',
  });
  const answerMs: number[] = [];
  const afterAnswerMs: number[] = [];
  const sources: string[] = [];
  try {
    // One warm-up turn, not counted.
    for (let turn = -1; turn < TURNS_PER_SCENARIO; turn += 1) {
      const conversationId = `mood-latency-${scenario.moodJudge}-${scenario.moodModelMs ?? 0}-${turn}`;
      const customer = new TestCustomer({
        botUrl: assistant.url,
        recorder,
        conversationId,
        channelId: 'test',
      });
      const started = performance.now();
      await customer.say(`${turn < 0 ? WARM_UP : ''}${CUSTOMER_TEXT}`);
      const ended = performance.now();
      const answer = recorder
        .activitiesFor(conversationId)
        .find((delivered) => delivered.activity.text === ANSWER);
      if (answer === undefined) throw new Error(`no answer in ${conversationId}`);
      if (turn < 0) continue;
      answerMs.push(answer.receivedAt - started);
      afterAnswerMs.push(ended - answer.receivedAt);
      const key = `test/conversations/${conversationId}/`;
      const stored = (await assistant.app.storage.read([key]))[key] as
        { care?: { mood?: { history: { source: string }[] } } } | undefined;
      sources.push(stored?.care?.mood?.history.at(-1)?.source ?? 'none');
    }
  } finally {
    await assistant.dispose();
  }
  return { answerMs, afterAnswerMs, sources };
}

async function main(): Promise<void> {
  const lexicon = lexiconTiming();
  console.log(
    `lexicon judge: ${lexicon.perJudgementUs.toFixed(1)} µs per judgement (${lexicon.messages} messages x ${LEXICON_PASSES} passes)`,
  );
  const model = await startFakeOpenAiServer();
  const recorder = await ConnectorRecorder.start();
  try {
    console.log(
      `turn model answer ${TURN_MODEL_MS} ms; ${TURNS_PER_SCENARIO} turns per scenario; medians (min-max) in ms`,
    );
    let baseline: number | null = null;
    for (const scenario of SCENARIOS) {
      const result = await runScenario(model, recorder, scenario);
      const after = median(result.afterAnswerMs);
      baseline ??= after;
      const counts = result.sources.reduce<Record<string, number>>((all, source) => {
        all[source] = (all[source] ?? 0) + 1;
        return all;
      }, {});
      console.log(
        `${scenario.name.padEnd(44)} answer ${median(result.answerMs).toFixed(0)} ms; ` +
          `after answer: first turn ${result.afterAnswerMs[0]!.toFixed(0)}, median ${after.toFixed(0)} ` +
          `(${Math.min(...result.afterAnswerMs).toFixed(0)}-${Math.max(...result.afterAnswerMs).toFixed(0)}); ` +
          `added ${(after - baseline).toFixed(0)} ms; judged by ${JSON.stringify(counts)}`,
      );
    }
  } finally {
    await recorder.close();
    await model.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
