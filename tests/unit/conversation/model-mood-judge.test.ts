import { LexiconMoodJudge } from '../../../src/conversation/lexicon-mood-judge';
import {
  ModelMoodJudge,
  MOOD_SYSTEM_PROMPT,
  readMoodAnswer,
  type ModelMoodJudgeOptions,
} from '../../../src/conversation/model-mood-judge';
import type { CompletionRequest } from '../../../src/llm/chat-model';
import { AppError } from '../../../src/shared/errors';
import { ScriptedChatModel, type ScriptedStep } from '../../helpers/scripted-chat-model';

const lexicon = new LexiconMoodJudge();

function judgeWith(
  steps: ScriptedStep[],
  options: Partial<ModelMoodJudgeOptions> = {},
): { judge: ModelMoodJudge; model: ScriptedChatModel } {
  const model = new ScriptedChatModel(steps);
  return { judge: new ModelMoodJudge({ model, fallback: lexicon, ...options }), model };
}

/** A model step that never answers, until the request is aborted. */
const hangsUntilAborted: ScriptedStep = (request: CompletionRequest) =>
  new Promise((_, reject) => {
    request.signal?.addEventListener('abort', () =>
      reject(new AppError('turn_cancelled', 'aborted', { expected: true })),
    );
  });

describe('ModelMoodJudge', () => {
  it("returns the model's mood and score", async () => {
    const { judge } = judgeWith([{ text: '{"mood":"frustrated","score":-0.4}' }]);

    await expect(judge.judge('Still no refund.')).resolves.toEqual({
      mood: 'frustrated',
      score: -0.4,
      source: 'model',
    });
  });

  it("sends the customer's words alone, after the fixed instructions, with no tools and low effort", async () => {
    const { judge, model } = judgeWith([{ text: '{"mood":"neutral","score":0}' }]);

    await judge.judge('Where is order #W4821001? I paid with [card ending 4242]');

    const request = model.requests[0]!;
    expect(request.messages).toEqual([
      { role: 'system', content: MOOD_SYSTEM_PROMPT },
      { role: 'user', content: 'Where is order #W4821001? I paid with [card ending 4242]' },
    ]);
    expect(request.tools).toEqual([]);
    expect(request.reasoningEffort).toBe('low');
    expect(request.maxOutputTokens).toBeLessThanOrEqual(400);
  });

  it('judges a plain request neutral without asking the model, and asks about anything more', async () => {
    const { judge, model } = judgeWith([{ text: '{"mood":"frustrated","score":-0.3}' }]);

    const plain = await judge.judge('Where is my order #W4821001?');
    const more = await judge.judge('Where is my order #W4821001? It has been weeks');

    expect(plain).toEqual({ mood: 'neutral', score: 0, source: 'plain' });
    expect(more).toMatchObject({ mood: 'frustrated', source: 'model' });
    expect(model.requests.map((request) => request.messages[1]?.content)).toEqual([
      'Where is my order #W4821001? It has been weeks',
    ]);
  });

  it('moves a score that disagrees with the named mood into its band', async () => {
    const { judge } = judgeWith([{ text: '{"mood":"angry","score":0.3}' }]);

    await expect(judge.judge('You are useless')).resolves.toMatchObject({
      mood: 'angry',
      score: -0.55,
    });
  });

  it('returns the lexicon judgement when the model fails', async () => {
    const { judge } = judgeWith([
      { throws: new AppError('model_unavailable', 'The model service failed') },
    ]);
    const text = 'This is a scam, you stole my money';

    await expect(judge.judge(text)).resolves.toEqual(lexicon.judgeNow(text));
  });

  it('returns the lexicon judgement when the answer is not the JSON asked for', async () => {
    const { judge } = judgeWith([{ text: 'The customer seems quite upset.' }]);
    const text = 'Why is this taking so long?';

    await expect(judge.judge(text)).resolves.toEqual(lexicon.judgeNow(text));
  });

  it('returns the lexicon judgement when the model does not answer within its timeout', async () => {
    const { judge } = judgeWith([hangsUntilAborted], { timeoutMs: 50 });
    const started = performance.now();

    const judged = await judge.judge('Thanks, that was quick!');

    expect(judged.source).toBe('lexicon');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("returns the lexicon judgement when the caller's signal aborts", async () => {
    const { judge } = judgeWith([hangsUntilAborted]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);

    const judged = await judge.judge('ok, thanks', { signal: controller.signal });

    expect(judged.source).toBe('lexicon');
  });

  it('leaves the model alone for the pause after a failure, then asks it again', async () => {
    let now = 0;
    const { judge, model } = judgeWith(
      [
        { throws: new AppError('model_unavailable', 'down') },
        { text: '{"mood":"satisfied","score":0.6}' },
      ],
      { pauseAfterFailureMs: 30_000, now: () => now },
    );
    await judge.judge('hello, is anyone there?');

    now = 29_000;
    const paused = await judge.judge('thanks!');
    now = 30_001;
    const resumed = await judge.judge('thanks!');

    expect(paused.source).toBe('lexicon');
    expect(resumed.source).toBe('model');
    expect(model.requests).toHaveLength(2);
  });

  it('asks for minimal effort when told to', async () => {
    const { judge, model } = judgeWith([{ text: '{"mood":"neutral","score":0}' }], {
      reasoningEffort: 'minimal',
    });

    await judge.judge('ok, thanks');

    expect(model.requests[0]!.reasoningEffort).toBe('minimal');
  });
});

describe('readMoodAnswer', () => {
  it('returns the object inside a fenced answer', () => {
    expect(readMoodAnswer('```json\n{"mood": "Angry", "score": -0.9}\n```')).toEqual({
      mood: 'angry',
      score: -0.9,
    });
  });

  it('returns the mood without a score', () => {
    expect(readMoodAnswer('{"mood":"neutral"}')).toEqual({ mood: 'neutral' });
  });

  it.each([null, '', 'angry', '{"mood":"furious","score":-1}', '{"mood":'])(
    'returns null for %p',
    (text) => {
      expect(readMoodAnswer(text)).toBeNull();
    },
  );
});
