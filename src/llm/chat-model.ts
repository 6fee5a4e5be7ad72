/**
 * The port every language model implements: Azure OpenAI, OpenAI, any OpenAI-compatible server, and the
 * offline model. `conversation/` depends on this file only, never on an SDK.
 */

/** A tool call the model asked for. `arguments` is the raw JSON text the model produced (it may be invalid). */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface SystemMessage {
  role: 'system';
  content: string;
}

export interface UserMessage {
  role: 'user';
  content: string;
}

export interface AssistantMessage {
  role: 'assistant';
  content: string | null;
  toolCalls?: ToolCall[];
}

export interface ToolMessage {
  role: 'tool';
  toolCallId: string;
  /** The tool's name, kept so histories stay readable and the offline model knows what it is reading. */
  name: string;
  content: string;
}

export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/** A function tool as the model sees it: a strict JSON schema generated from the tool's zod input. */
export interface ToolSchema {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  /** True when the schema meets OpenAI's strict mode (every property required, no extra properties). */
  strict: boolean;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface CompletionRequest {
  messages: readonly ChatMessage[];
  tools: readonly ToolSchema[];
  signal?: AbortSignal;
  /**
   * Called with each text fragment as it streams; tool-call fragments never reach it. Without it nobody reads
   * the text early, and a model may fetch the answer whole instead of streaming it.
   */
  onTextDelta?: (delta: string) => void;
  maxOutputTokens?: number;
  /**
   * Reasoning models only: this request's reasoning effort instead of the model's configured one, for small side
   * tasks (judging a customer's mood) that need little thought and should answer fast. Others ignore it.
   */
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
}

export interface Completion {
  text: string | null;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  /** Null when the server reported none (some compatible servers do not). */
  usage: TokenUsage | null;
  /** The model or deployment that answered. */
  model: string;
}

export type ChatModelProvider = 'azure' | 'openai' | 'offline';

export interface ChatModel {
  readonly provider: ChatModelProvider;
  /** Deployment or model name, shown by /readyz and in logs. */
  readonly modelName: string;
  /**
   * One completion. Throws AppError with code `model_content_filtered` when the provider refuses the prompt,
   * `model_rate_limited` after the SDK's retries, `model_unavailable` for network and server failures.
   */
  complete(request: CompletionRequest): Promise<Completion>;
  /** A cheap reachability check for /readyz; never throws. */
  probe?(signal?: AbortSignal): Promise<{ ok: boolean; detail?: string }>;
}
