import type { CompletionRequest } from '../../src/llm/chat-model';

/** A request as the turn loop makes it: with `onTextDelta`, so the answer streams. */
export function userRequest(
  text: string,
  extra: Partial<CompletionRequest> = {},
): CompletionRequest {
  return {
    messages: [
      { role: 'system', content: 'You are a helpful after-sales assistant.' },
      { role: 'user', content: text },
    ],
    tools: [],
    onTextDelta: () => undefined,
    ...extra,
  };
}

/** A request as a mood judgement or a summary makes it: without `onTextDelta`, so the answer comes whole. */
export function wholeAnswerRequest(
  text: string,
  extra: Partial<CompletionRequest> = {},
): CompletionRequest {
  const { onTextDelta: _streamed, ...request } = userRequest(text, extra);
  return request;
}
