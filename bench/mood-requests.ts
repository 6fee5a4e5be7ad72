import { MOOD_SYSTEM_PROMPT } from '../src/conversation/model-mood-judge';
import type { RecordedRequest } from '../tests/helpers/fake-openai-server';

/**
 * The mood judgement each customer message sends alongside its turn (MOOD_JUDGE=auto with a model): the bench's
 * scripted models answer it apart from the turn's own calls, which they count.
 */
export function isMoodRequest(request: RecordedRequest): boolean {
  const messages = (request.body as { messages?: { content: unknown }[] }).messages;
  return messages?.[0]?.content === MOOD_SYSTEM_PROMPT;
}

/** A calm mood, as the model judge reads it. */
export const NEUTRAL_MOOD_REPLY = '{"mood":"neutral","score":0}';
