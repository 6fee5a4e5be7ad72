import type { OpenAI } from 'openai';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionReasoningEffort,
} from 'openai/resources/chat/completions';
import { AppError } from '../shared/errors';
import { toOpenAiCallError } from './openai-call-error';
import { resolveModelFamily, type ModelFamily } from './openai-chat-model';
import type { StructuredOutputModel, StructuredOutputRequest } from './structured-output';

export interface OpenAiStructuredOutputModelOptions {
  /** A client from `createOpenAiClient` (for Azure's dated API, built for the chat deployment). */
  client: OpenAI;
  provider: 'azure' | 'openai';
  /** The model name, or the Azure deployment name. */
  model: string;
  /** As for the chat model: `auto` decides from the name. */
  modelFamily?: ModelFamily | 'auto';
  /** Output cap when a request has none; reasoning models count their hidden reasoning in it. */
  maxOutputTokens?: number;
  /** Reasoning models only, and only when set. */
  reasoningEffort?: NonNullable<ChatCompletionReasoningEffort>;
}

/**
 * `StructuredOutputModel` over chat completions with `response_format: { type: 'json_schema', strict: true }`
 * (Azure OpenAI from API version 2024-08-01, OpenAI, and compatible servers that implement it). One request, not
 * streamed: nobody reads a judgement as it is written. Classic models get temperature 0, for the same answer to
 * the same conversation.
 */
export class OpenAiStructuredOutputModel implements StructuredOutputModel {
  readonly modelName: string;
  private readonly client: OpenAI;
  private readonly modelFamily: ModelFamily;
  private readonly maxOutputTokens: number | undefined;
  private readonly reasoningEffort: NonNullable<ChatCompletionReasoningEffort> | undefined;

  constructor(options: OpenAiStructuredOutputModelOptions) {
    this.client = options.client;
    this.modelName = options.model;
    this.modelFamily = resolveModelFamily({
      model: options.model,
      provider: options.provider,
      modelFamily: options.modelFamily ?? 'auto',
    });
    this.maxOutputTokens = options.maxOutputTokens;
    this.reasoningEffort = options.reasoningEffort;
  }

  async completeStructured(request: StructuredOutputRequest): Promise<unknown> {
    let completion: Awaited<ReturnType<OpenAI['chat']['completions']['create']>>;
    try {
      completion = await this.client.chat.completions.create(
        this.buildRequestBody(request),
        request.signal === undefined ? undefined : { signal: request.signal },
      );
    } catch (error) {
      throw toOpenAiCallError(error, 'structured output');
    }
    const choice = completion.choices[0];
    if (choice === undefined) throw badResponse('no_choice');
    if (choice.finish_reason === 'content_filter') {
      throw new AppError('model_content_filtered', 'The content filter cut the structured answer', {
        expected: true,
        details: { stage: 'completion' },
      });
    }
    if (typeof choice.message.refusal === 'string' && choice.message.refusal !== '') {
      throw badResponse('refused');
    }
    if (choice.finish_reason === 'length') throw badResponse('length');
    const content = choice.message.content;
    if (typeof content !== 'string' || content.trim() === '') throw badResponse('empty');
    try {
      return JSON.parse(content) as unknown;
    } catch (error) {
      throw new AppError('model_bad_response', 'The structured answer is not JSON', {
        cause: error,
        details: { reason: 'not_json' },
      });
    }
  }

  private buildRequestBody(
    request: StructuredOutputRequest,
  ): ChatCompletionCreateParamsNonStreaming {
    const maxTokens = request.maxOutputTokens ?? this.maxOutputTokens;
    const limits =
      this.modelFamily === 'reasoning'
        ? {
            ...(maxTokens === undefined ? {} : { max_completion_tokens: maxTokens }),
            ...(this.reasoningEffort === undefined
              ? {}
              : { reasoning_effort: this.reasoningEffort }),
          }
        : { ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }), temperature: 0 };
    return {
      model: this.modelName,
      messages: request.messages.map((message) => ({
        role: message.role,
        content: message.content,
      })),
      response_format: {
        type: 'json_schema',
        json_schema: { name: request.name, strict: true, schema: { ...request.schema } },
      },
      ...limits,
    };
  }
}

function badResponse(reason: string): AppError {
  return new AppError('model_bad_response', 'The model gave no usable structured answer', {
    details: { reason },
  });
}
