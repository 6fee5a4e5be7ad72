import type {
  ChatModel,
  Completion,
  CompletionRequest,
  ToolCall,
} from '../../src/llm/chat-model';

/** One scripted model step: a fixed completion, a function of the request, or an error to throw. */
export type ScriptedStep =
  | Partial<Completion>
  | ((request: CompletionRequest) => Partial<Completion> | Promise<Partial<Completion>>)
  | { throws: unknown };

/**
 * A ChatModel that answers from a script, for unit tests of code that drives a model. It records every request
 * so tests can assert what reached the model, and fails loudly when the script runs out.
 */
export class ScriptedChatModel implements ChatModel {
  readonly provider = 'openai' as const;
  readonly modelName = 'scripted';
  readonly requests: CompletionRequest[] = [];
  private readonly steps: ScriptedStep[];

  constructor(steps: ScriptedStep[]) {
    this.steps = [...steps];
  }

  push(...steps: ScriptedStep[]): void {
    this.steps.push(...steps);
  }

  get remainingSteps(): number {
    return this.steps.length;
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    this.requests.push({ ...request, messages: structuredClone([...request.messages]) });
    const step = this.steps.shift();
    if (step === undefined) throw new Error('ScriptedChatModel: no step left for this request');
    if (typeof step === 'object' && 'throws' in step) throw step.throws;
    const partial = typeof step === 'function' ? await step(request) : step;
    const text = partial.text ?? null;
    if (text !== null && request.onTextDelta !== undefined) {
      for (const piece of text.match(/.{1,8}/gsu) ?? []) request.onTextDelta(piece);
    }
    const toolCalls = partial.toolCalls ?? [];
    return {
      text,
      toolCalls,
      finishReason: partial.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
      usage: partial.usage === undefined ? { promptTokens: 10, completionTokens: 5, totalTokens: 15 } : partial.usage,
      model: 'scripted',
    };
  }
}

let callCounter = 0;

/** A tool call as a model would make it. */
export function toolCall(name: string, input: Record<string, unknown>): ToolCall {
  callCounter += 1;
  return { id: `call_${callCounter}`, name, arguments: JSON.stringify(input) };
}
