import { randomUUID } from 'node:crypto';
import { AppError, describeError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { silentLogger } from '../../shared/logger';
import type { ChatModel, Completion, CompletionRequest, ToolCall } from '../chat-model';
import { ConversationView } from './conversation-reader';
import { decideNextStep } from './dialogue-policy';
import {
  type IntentClassification,
  type IntentClassifier,
  sharedIntentClassifier,
} from './intent-classifier';
import { stuck } from './answer-templates';

/** The name the offline model reports in completions, logs and /readyz. */
export const OFFLINE_MODEL_NAME = 'offline';

/** Streamed fragments are about this long, cut at spaces, so streaming looks the same as with GPT. */
const STREAM_CHUNK_CHARACTERS = 48;
/** Classifications kept per model: customer messages repeat across a conversation's calls. */
const CLASSIFICATION_CACHE_MAX = 2_000;

export interface OfflineChatModelOptions {
  /** The intent classifier; by default one shared by the whole process, trained on first use. */
  classifier?: IntentClassifier;
  logger?: Logger;
  /** Ids for tool calls; random by default. */
  createCallId?: () => string;
}

/**
 * A `ChatModel` with no network: NLP.js reads the customer's latest message, a dialogue policy re-reads the
 * whole conversation (it keeps no state between calls), emits the tool calls a GPT model would, and words the
 * answer from templates once the tool results are in. It is the embedded default and the fallback when the
 * configured model is down.
 *
 * Construction is cheap: the classifier trains on the first `complete`, `probe` or `warmUp`, not at import.
 */
export class OfflineChatModel implements ChatModel {
  readonly provider = 'offline' as const;
  readonly modelName = OFFLINE_MODEL_NAME;
  private readonly classifier: IntentClassifier;
  private readonly logger: Logger;
  private readonly createCallId: () => string;
  private readonly classifications = new Map<string, IntentClassification>();

  constructor(options: OfflineChatModelOptions = {}) {
    this.classifier = options.classifier ?? sharedIntentClassifier();
    this.logger = (options.logger ?? silentLogger()).child({ component: 'offline-chat-model' });
    this.createCallId = options.createCallId ?? (() => `call_offline_${randomUUID()}`);
  }

  /** Trains the classifier now, so the first customer does not wait for it. */
  async warmUp(): Promise<void> {
    await this.classifier.train();
    this.logger.info({ trainingMs: this.classifier.trainingMs }, 'offline-model-ready');
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    throwIfAborted(request.signal);
    const view = new ConversationView(request.messages);
    const intents = await Promise.all(view.userTurns.map((turn) => this.classify(turn.text)));
    throwIfAborted(request.signal);

    let text: string | null;
    let toolCalls: ToolCall[];
    try {
      const step = decideNextStep({ view, tools: request.tools, intents });
      text = step.text;
      toolCalls = step.calls.map((call) => ({
        id: this.createCallId(),
        name: call.name,
        arguments: JSON.stringify(call.arguments),
      }));
    } catch (error) {
      // A flaw in the policy must not end the customer's turn: apologise, offer a person, and log it loudly.
      this.logger.error({ error: describeError(error) }, 'offline-policy-failed');
      text = stuck(request.tools.some((tool) => tool.name === 'transfer_to_human_agents'));
      toolCalls = [];
    }
    if (text !== null && text !== '' && request.onTextDelta !== undefined) {
      for (const chunk of chunkText(text)) request.onTextDelta(chunk);
    }
    return {
      text,
      toolCalls,
      finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
      usage: null,
      model: OFFLINE_MODEL_NAME,
    };
  }

  /** Ready once the classifier has trained (training it if needed). Never throws. */
  async probe(): Promise<{ ok: boolean; detail?: string }> {
    try {
      await this.classifier.train();
      return {
        ok: true,
        detail: `intent classifier trained in ${this.classifier.trainingMs ?? 0} ms`,
      };
    } catch (error) {
      return { ok: false, detail: describeError(error).message };
    }
  }

  private async classify(text: string): Promise<IntentClassification> {
    const cached = this.classifications.get(text);
    if (cached !== undefined) return cached;
    const classification = await this.classifier.classify(text);
    if (this.classifications.size >= CLASSIFICATION_CACHE_MAX) {
      const oldest = this.classifications.keys().next().value;
      if (oldest !== undefined) this.classifications.delete(oldest);
    }
    this.classifications.set(text, classification);
    return classification;
  }
}

/** An offline model with the shared classifier; call `warmUp()` at start-up to train it early. */
export function createOfflineChatModel(options: OfflineChatModelOptions = {}): OfflineChatModel {
  return new OfflineChatModel(options);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    throw new AppError('turn_cancelled', 'the turn was cancelled', {
      expected: true,
      cause: signal.reason,
    });
  }
}

/** The text in fragments of about `STREAM_CHUNK_CHARACTERS`, cut after spaces; joined they give the text back. */
export function chunkText(text: string): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > STREAM_CHUNK_CHARACTERS) {
    const space = rest.indexOf(' ', STREAM_CHUNK_CHARACTERS);
    if (space === -1) break;
    chunks.push(rest.slice(0, space + 1));
    rest = rest.slice(space + 1);
  }
  if (rest !== '') chunks.push(rest);
  return chunks;
}
