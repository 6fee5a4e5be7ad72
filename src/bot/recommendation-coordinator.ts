import path from 'node:path';
import type { Activity, Storage, TurnContext } from 'botbuilder';
import { isTeamsPersonalChat, type ChannelKind } from '../channels/channel-kind';
import { productOfferActivity, readProductOfferValue } from '../channels/product-offer-card';
import { ProductRecommender } from '../commerce/product-recommender';
import type { CommerceStore } from '../commerce/commerce-store';
import {
  PRODUCT_VECTORS_DATABASE_FILE,
  SqliteProductVectorStore,
} from '../commerce/product-vector-store';
import type { EmbeddingsConfig, ModelConfig } from '../config/config';
import type { ConversationData } from '../conversation/conversation-state';
import { RecommendationAdvisor } from '../conversation/recommendation-advisor';
import type { TurnStatus } from '../conversation/turn-runner';
import { createChatModelClient, createOpenAiClient } from '../llm/create-openai-client';
import type { Embeddings } from '../llm/embeddings';
import { LexicalEmbeddings } from '../llm/lexical-embeddings';
import { OpenAiEmbeddings } from '../llm/openai-embeddings';
import { OpenAiStructuredOutputModel } from '../llm/openai-structured-output';
import type { StructuredOutputModel } from '../llm/structured-output';
import { describeError } from '../shared/errors';
import type { Logger } from '../shared/logger';

/** What the bot keeps per verified customer about suggestions, across their conversations. */
interface CustomerRecommendationMemory {
  declinedAt?: string;
  eTag?: string;
}

/** The storage key of a customer's memory: customer ids come from the store, never from the customer's words. */
export function recommendationMemoryKey(customerId: string): string {
  return `customer-recommendations/${encodeURIComponent(customerId)}`;
}

export interface RecommendationCoordinatorOptions {
  advisor: RecommendationAdvisor;
  /** The bot's Storage, where a customer's "no thanks" is remembered across conversations. */
  storage: Storage;
  now?: () => Date;
}

/** What the bot knows about a turn when it may offer products. */
export interface RecommendationTurn {
  data: ConversationData;
  /** The customer's words this turn; null for a button press. */
  text: string | null;
  status: TurnStatus;
  kind: ChannelKind;
  /** Sends to the customer the way the turn's replies went (with the assistant's avatar on Teams cards). */
  send: (activity: Partial<Activity>) => Promise<unknown>;
  logger: Logger;
}

/**
 * Between the bot and the recommendation advisor: answers a "No thanks" (the card's button, or the words right
 * after an offer) without a model turn and remembers it for the customer, and after each turn lets the advisor
 * decide whether this is the moment for an offer, which it then sends as one message.
 */
export class RecommendationCoordinator {
  private readonly now: () => Date;

  constructor(private readonly options: RecommendationCoordinatorOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Before a customer turn: when the message declines products, answers it, remembers the decline and returns the
   * new conversation data (no model turn runs); otherwise returns null.
   */
  async handleDecline(
    context: TurnContext,
    data: ConversationData,
    details: { text: string | null; logger: Logger },
  ): Promise<ConversationData | null> {
    const pressed = readProductOfferValue(context.activity.value) !== null;
    if (!this.options.advisor.isDecline(data, { text: details.text, pressedDecline: pressed })) {
      return null;
    }
    const declined = this.options.advisor.decline(data, pressed ? null : details.text);
    await context.sendActivity(declined.reply);
    if (data.customerId !== null) await this.rememberDecline(data.customerId, details.logger);
    details.logger.info({ by: pressed ? 'button' : 'words' }, 'product-offer-declined');
    return declined.data;
  }

  /** After a customer turn: the advisor's decision, and the offer sent when it makes one. */
  async afterTurn(context: TurnContext, turn: RecommendationTurn): Promise<ConversationData> {
    // The phone gets no offer (see `productOfferActivity`), and neither does a Teams group chat or channel,
    // where "since you have the …" would tell the other members what the customer bought.
    if (turn.kind === 'voice') return turn.data;
    if (turn.kind === 'teams' && !isTeamsPersonalChat(context.activity)) return turn.data;
    const decision = await this.options.advisor.afterTurn({
      data: turn.data,
      text: turn.text,
      status: turn.status,
      declinedBefore: (customerId) => this.declinedBefore(customerId, turn.logger),
    });
    if (decision.offer === null) {
      if (decision.reason !== 'not_a_close' && decision.reason !== 'already_offered') {
        turn.logger.debug({ reason: decision.reason }, 'product-offer-withheld');
      }
      return decision.data;
    }
    const activity = productOfferActivity(turn.kind, decision.offer);
    if (activity === null) return turn.data;
    await turn.send(activity);
    turn.logger.info(
      {
        offerId: decision.offer.id,
        products: decision.offer.products.map((product) => product.productId),
      },
      'product-offer',
    );
    return decision.data;
  }

  private async declinedBefore(customerId: string, logger: Logger): Promise<boolean> {
    const key = recommendationMemoryKey(customerId);
    try {
      const items = await this.options.storage.read([key]);
      const memory = items[key] as CustomerRecommendationMemory | undefined;
      return typeof memory?.declinedAt === 'string';
    } catch (error) {
      // Without the memory there is no knowing whether they said no: assume they did.
      logger.warn({ error: describeError(error) }, 'recommendation-memory-read-failed');
      return true;
    }
  }

  private async rememberDecline(customerId: string, logger: Logger): Promise<void> {
    const memory: CustomerRecommendationMemory = {
      declinedAt: this.now().toISOString(),
      eTag: '*',
    };
    try {
      await this.options.storage.write({ [recommendationMemoryKey(customerId)]: memory });
    } catch (error) {
      logger.warn({ error: describeError(error) }, 'recommendation-memory-write-failed');
    }
  }
}

export interface CreateRecommendationsOptions {
  model: ModelConfig;
  embeddings: EmbeddingsConfig;
  dataDir: string;
  commerce: CommerceStore;
  storage: Storage;
  logger: Logger;
  now?: () => Date;
}

/** The coordinator and what it holds open. */
export interface Recommendations {
  coordinator: RecommendationCoordinator;
  /** Closes the product vector store. */
  close(): Promise<void>;
}

/**
 * Builds product suggestions from config: the embeddings model (or lexical vectors), the vector store in
 * `<dataDir>/product-vectors.sqlite`, the recommender over the catalogue, and the judge (the configured chat
 * model with structured output; none offline). Nothing is computed here: product vectors are computed at the
 * first offer and kept.
 */
export function createRecommendations(options: CreateRecommendationsOptions): Recommendations {
  const { logger } = options;
  const vectors = SqliteProductVectorStore.open({
    path: path.join(options.dataDir, PRODUCT_VECTORS_DATABASE_FILE),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const recommender = new ProductRecommender({
    store: options.commerce,
    vectors,
    embedder: createEmbeddings(options.embeddings, logger),
    logger,
  });
  const advisor = new RecommendationAdvisor({
    suggest: (customerId, suggestOptions) => recommender.suggest(customerId, suggestOptions),
    judge: createJudge(options.model, logger),
    logger,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return {
    coordinator: new RecommendationCoordinator({
      advisor,
      storage: options.storage,
      ...(options.now === undefined ? {} : { now: options.now }),
    }),
    close: () => vectors.close(),
  };
}

function createEmbeddings(config: EmbeddingsConfig, logger: Logger): Embeddings {
  switch (config.provider) {
    case 'offline':
      return new LexicalEmbeddings();
    case 'azure': {
      const bundle = createOpenAiClient({
        provider: 'azure',
        endpoint: config.endpoint,
        apiVersion: config.apiVersion,
        deployment: config.deployment,
        apiKey: config.apiKey,
        logger,
      });
      return new OpenAiEmbeddings({
        client: bundle.client,
        provider: 'azure',
        model: bundle.model,
      });
    }
    case 'openai': {
      const bundle = createOpenAiClient({
        provider: 'openai',
        model: config.model,
        apiKey: config.apiKey,
        baseURL: config.baseURL,
        logger,
      });
      return new OpenAiEmbeddings({
        client: bundle.client,
        provider: 'openai',
        model: bundle.model,
      });
    }
  }
}

/**
 * One retry at most: the judgement runs after the answer, while the customer's next message waits for the turn
 * to end, and without it there is simply no offer.
 */
const JUDGE_MAX_RETRIES = 1;

function createJudge(config: ModelConfig, logger: Logger): StructuredOutputModel | null {
  if (config.provider === 'offline') return null;
  const bundle = createChatModelClient(config, { maxRetries: JUDGE_MAX_RETRIES, logger });
  return new OpenAiStructuredOutputModel({
    client: bundle.client,
    provider: bundle.provider,
    model: bundle.model,
    modelFamily: config.modelFamily,
    maxOutputTokens: config.maxOutputTokens,
    ...(config.reasoningEffort === 'default' ? {} : { reasoningEffort: config.reasoningEffort }),
  });
}
