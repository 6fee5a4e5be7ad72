import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Activity, CloudAdapter } from 'botbuilder';
import { CareBot } from './bot/care-bot';
import { AssistantAvatar } from './bot/assistant-avatar';
import { CustomerConversationState } from './bot/customer-conversation-state';
import { HandoffCoordinator } from './bot/handoff-coordinator';
import { createMoodCoordinator } from './bot/mood-coordinator';
import { createRecommendations } from './bot/recommendation-coordinator';
import { createAdapter } from './bot/create-adapter';
import { TranscriptMiddleware } from './bot/transcript-middleware';
import { embeddedChannelAuthentication } from './bot/embedded-channel-auth';
import { openCommerce } from './commerce/open-commerce';
import type { CommerceStore } from './commerce/commerce-store';
import type { AppConfig, ImageModelConfig, ModelConfig } from './config/config';
import { TurnRunner } from './conversation/turn-runner';
import { loadPolicyLibrary } from './knowledge/policy-library';
import { MiniSearchPolicySearch } from './knowledge/minisearch-policy-search';
import type { ChatModel } from './llm/chat-model';
import { createChatModelClient, createOpenAiClient } from './llm/create-openai-client';
import { FallbackChatModel } from './llm/fallback-chat-model';
import { DiceBearImageGenerator, type DiceBearStyleName } from './llm/dicebear-image-generator';
import { FallbackImageGenerator } from './llm/fallback-image-generator';
import type { ImageGenerator } from './llm/image-generator';
import { OpenAiImageGenerator } from './llm/openai-image-generator';
import { OfflineChatModel } from './llm/offline/offline-chat-model';
import { OpenAiChatModel } from './llm/openai-chat-model';
import {
  registerEmbeddedDirectLine,
  type EmbeddedDirectLine,
} from './directline/directline-server';
import { TeamsAgentDesk } from './handoff/agent-desk';
import { createAppServer, type AppServer } from './server/app-server';
import { ASSISTANT_AVATAR_PATH, imagePath, registerAvatarRoutes } from './server/avatar-routes';
import { registerWebChatRoutes } from './server/web-chat-routes';
import type { Logger } from './shared/logger';
import { createStorage } from './storage/create-storage';
import type { ManagedStorage } from './storage/managed-storage';
import type { ManagedTranscriptStore } from './storage/managed-transcript-store';
import { DAY_MS, startRetentionSweep, type RetentionSweep } from './storage/retention-sweep';
import { SqliteImageStore } from './storage/sqlite-image-store';
import { SqliteTranscriptStore } from './storage/sqlite-transcript-store';
import { createOrderTools } from './tools/order';
import { ToolRegistry } from './tools/registry';
import { CustomerProfiles } from './tools/profile/customer-profiles';
import { createProfileAvatarTool } from './tools/profile/create-profile-avatar';
import { createSearchPoliciesTool } from './tools/search-policies';

/** The bot's id on the embedded Direct Line (real channels give their own). */
const BOT_ID_LOCAL = 'care-assistant';

/** Activities from the embedded Direct Line, run by the adapter as if they came with a token for the bot. */
function inProcessDelivery(
  adapter: CloudAdapter,
  bot: CareBot,
  appId: string,
): (activity: Record<string, unknown>) => Promise<void> {
  const authentication = embeddedChannelAuthentication(appId);
  return (activity) =>
    adapter.processActivityDirect(authentication, activity as unknown as Activity, (context) =>
      bot.run(context),
    );
}

/** How this process reaches itself: loopback when bound to every interface, else the bound address. */
function loopbackHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export interface StartAppOptions {
  config: Readonly<AppConfig>;
  logger: Logger;
  /** The clock the assistant reasons with (dates in answers, warranty ends, confirmation expiry). */
  now?: () => Date;
}

export interface RunningApp {
  /** The port actually bound (differs from config when it is 0). */
  port: number;
  url: string;
  commerce: CommerceStore;
  storage: ManagedStorage;
  /** Redacted transcripts and their retention sweep; null when `TRANSCRIPTS_ENABLED` is false. */
  transcripts: { store: ManagedTranscriptStore; sweep: RetentionSweep['sweep'] } | null;
  model: ChatModel;
  server: AppServer;
  /** Stops accepting, finishes turns in flight, closes the stores. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Builds the assistant from config and starts its HTTP server: the composition root shared by `index.ts`,
 * the end-to-end tests and the benchmark, so all three run exactly the same wiring.
 */
export async function startApp(options: StartAppOptions): Promise<RunningApp> {
  const { config, logger } = options;
  const now = options.now ?? (() => new Date());
  await mkdir(config.dataDir, { recursive: true });

  // Everything opened so far is closed again if a later step fails, so a failed start leaves no locks behind.
  const opened: (() => Promise<void>)[] = [];
  try {
    const { store: commerce } = await openCommerce({ dataDir: config.dataDir, now: now(), logger });
    opened.push(() => commerce.close());
    const storage = createStorage({
      kind: 'sqlite',
      path: path.join(config.dataDir, 'state.sqlite'),
    });
    opened.push(() => storage.close());
    const images = new SqliteImageStore({ path: path.join(config.dataDir, 'images.sqlite'), now });
    opened.push(() => images.close());
    const profiles = new CustomerProfiles(storage);
    const transcripts = config.transcripts.enabled ? openTranscripts(config, logger, now) : null;
    if (transcripts !== null) opened.push(transcripts.close);
    const policyDocumentsDir = config.assistant.policyDocumentsDir;
    const library = await loadPolicyLibrary({ directory: policyDocumentsDir });
    const { model, primary: primaryModel } = createChatModel(config.model, logger);
    const assistantAvatar = new AssistantAvatar({
      generator: createImageGenerator(config.images.model, { style: 'lorelei', logger }),
      store: images,
      prompt: config.images.assistantAvatarPrompt,
      logger,
    });
    const customerAvatarsPerDay = config.images.customerAvatarsPerDay;

    const tools = new ToolRegistry(
      [
        ...createOrderTools({
          store: commerce,
          verificationRule: config.assistant.verificationRule,
        }),
        createSearchPoliciesTool({
          search: new MiniSearchPolicySearch(library),
          // A company's own documents are named in the tool description so the model knows what it can look up.
          topics:
            policyDocumentsDir === undefined
              ? undefined
              : library.documents.map((document) => document.title),
        }),
        ...(customerAvatarsPerDay === 0
          ? []
          : [
              createProfileAvatarTool({
                images: createImageGenerator(config.images.model, { style: 'thumbs', logger }),
                store: images,
                profiles,
                perDay: customerAvatarsPerDay,
                imageUrl: imagePath,
              }),
            ]),
      ],
      { logger },
    );
    const turnRunner = new TurnRunner({
      model,
      tools,
      logger,
      now,
      options: {
        assistantName: config.assistant.name,
        companyName: config.assistant.companyName,
        verificationRule: config.assistant.verificationRule,
        turnDeadlineMs: config.assistant.turnDeadlineMs,
        toolRoundsMax: config.assistant.toolRoundsMax,
        historyTokenBudget: config.assistant.historyTokenBudget,
      },
    });
    const anonymous = config.bot.appId === null;
    const adapter = createAdapter(config.bot, logger);
    if (transcripts !== null) {
      adapter.use(new TranscriptMiddleware({ transcripts: transcripts.store, logger }));
    }
    const desk = new TeamsAgentDesk({
      adapter,
      appId: config.bot.appId ?? '',
      storage,
      logger,
      assistantName: config.assistant.name,
      configured: {
        ...(config.handoff.deskTeamId === null ? {} : { teamId: config.handoff.deskTeamId }),
        ...(config.handoff.deskChannelId === null
          ? {}
          : { channelId: config.handoff.deskChannelId }),
      },
      now,
    });
    // Product vectors are computed at the first offer, not here, and kept in DATA_DIR for later starts.
    const recommendations = config.recommendations.enabled
      ? createRecommendations({
          model: config.model,
          embeddings: config.recommendations.embeddings,
          dataDir: config.dataDir,
          commerce,
          storage,
          logger,
          now,
        })
      : null;
    if (recommendations !== null) opened.push(() => recommendations.close());
    const mood = createMoodCoordinator({
      judge: config.mood.judge,
      model: primaryModel,
      ...(config.model.provider === 'offline'
        ? {}
        : { configuredReasoningEffort: config.model.reasoningEffort }),
      logger,
      now,
    });
    const bot = new CareBot({
      conversationState: new CustomerConversationState(storage),
      turnRunner,
      logger,
      welcomeText: welcomeText(config),
      teamsStreamIntervalMs: config.streaming.teamsIntervalMs,
      assistantName: config.assistant.name,
      desk,
      handoff: new HandoffCoordinator({
        desk,
        summaryModel: primaryModel,
        describeCustomer: async (customerId) => {
          const customer = await commerce.getCustomer(customerId);
          return customer === null
            ? null
            : {
                name: `${customer.name.firstName} ${customer.name.lastName}`,
                email: customer.email,
              };
        },
        logger,
        now,
      }),
      ...(mood === null ? {} : { mood }),
      ...(recommendations === null ? {} : { recommendations: recommendations.coordinator }),
      ...(config.teamsSignInVerification
        ? { identifyBySignIn: (email: string) => commerce.findCustomerIdByEmail(email) }
        : {}),
      publicBaseUrl: config.publicBaseUrl,
      // Teams draws PNG and JPEG, not the offline library's SVG: cards get the avatar when a model draws it.
      assistantAvatarUrl:
        config.publicBaseUrl === null || config.images.model.provider === 'offline'
          ? null
          : `${config.publicBaseUrl}${ASSISTANT_AVATAR_PATH}`,
      profileAvatarUrl: async (customerId) =>
        (await profiles.avatarOf({ customerId, conversationId: '' }))?.url ?? null,
    });
    const server = createAppServer({
      adapter,
      bot,
      logger,
      anonymous,
      readiness: async () => {
        const probe = (await model.probe?.()) ?? { ok: true };
        return {
          ready: probe.ok,
          checks: {
            store: 'open',
            model: {
              provider: model.provider,
              name: model.modelName,
              reachable: probe.ok,
              detail: probe.detail,
            },
          },
        };
      },
    });

    // The embedded Direct Line calls the bot over loopback HTTP, like the real service calls it over the internet.
    let selfBaseUrl = '';
    const directLine: EmbeddedDirectLine | null = config.web.embeddedDirectLine
      ? registerEmbeddedDirectLine(server.server, {
          logger,
          botEndpoint: () => `${selfBaseUrl}/api/messages`,
          selfBaseUrl: () => selfBaseUrl,
          bot: { id: config.bot.appId ?? BOT_ID_LOCAL, name: config.assistant.name },
          secret: config.web.directLineSecret,
          ...(config.bot.appId === null
            ? {}
            : {
                deliverInProcess: inProcessDelivery(adapter, bot, config.bot.appId),
              }),
        })
      : null;
    registerAvatarRoutes(server.server, {
      logger,
      assistantAvatar: () => assistantAvatar.get(),
      findImage: (id) => images.get(id),
    });
    await registerWebChatRoutes(server.server, {
      logger,
      assistantName: config.assistant.name,
      companyName: config.assistant.companyName,
      pageEnabled: config.web.pageEnabled,
      webChatBundleUrl: config.web.webChatBundleUrl,
      embedded: directLine,
      directLine: { secret: config.web.directLineSecret, endpoint: config.web.directLineEndpoint },
    });

    const port = await server.start({ port: config.port, host: config.host });
    selfBaseUrl = `http://${loopbackHost(config.host)}:${port}`;
    // Drawn now (once; later starts reuse it), so the first visitor's page does not wait for the image model.
    assistantAvatar.prepare();
    if (anonymous) {
      logger.warn(
        { host: config.host },
        'local-mode: MicrosoftAppId is not set, so requests are not authenticated; bind only to a trusted interface',
      );
    }
    logger.info(
      { port, host: config.host, model: model.modelName, provider: model.provider },
      'server-start',
    );
    let stopping: Promise<void> | null = null;
    return {
      port,
      url: selfBaseUrl,
      commerce,
      storage,
      transcripts:
        transcripts === null
          ? null
          : { store: transcripts.store, sweep: () => transcripts.sweep.sweep() },
      model,
      server,
      stop: () => {
        stopping ??= (async () => {
          directLine?.close();
          await server.stop();
          await storage.close();
          await images.close();
          await transcripts?.close();
          await commerce.close();
          await recommendations?.close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    for (const close of opened.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

/**
 * The transcript store in `<dataDir>/transcripts.sqlite`, swept for retention now and every hour on the app's
 * clock (the store stamps activities with the same clock). `close` stops the sweep and closes the store.
 */
function openTranscripts(
  config: Readonly<AppConfig>,
  logger: Logger,
  now: () => Date,
): { store: ManagedTranscriptStore; sweep: RetentionSweep; close: () => Promise<void> } {
  const store = new SqliteTranscriptStore({
    path: path.join(config.dataDir, 'transcripts.sqlite'),
    now,
  });
  const sweep = startRetentionSweep({
    target: store,
    name: 'transcripts',
    retentionMs: config.transcripts.retentionDays * DAY_MS,
    now,
    logger,
  });
  return {
    store,
    sweep,
    close: () => {
      sweep.stop();
      return store.close();
    },
  };
}

/**
 * The configured model; with a cloud model, the offline model answers while it is down (unless turned off).
 * `primary` is the cloud model alone (null offline), for side tasks the offline model cannot do, such as
 * writing an agent's summary.
 */
function createChatModel(
  config: ModelConfig,
  logger: Logger,
): { model: ChatModel; primary: ChatModel | null } {
  const offlineModel = () => {
    const offline = new OfflineChatModel({ logger });
    // Training takes a few hundred milliseconds; do it now rather than in the first customer's turn.
    offline
      .warmUp()
      .catch((error: unknown) => logger.error({ error }, 'offline-model-warm-up-failed'));
    return offline;
  };
  if (config.provider === 'offline') return { model: offlineModel(), primary: null };
  const bundle = createChatModelClient(config, { logger });
  const primary = new OpenAiChatModel({
    client: bundle.client,
    provider: bundle.provider,
    model: bundle.model,
    modelFamily: config.modelFamily,
    maxOutputTokens: config.maxOutputTokens,
    ...(config.reasoningEffort === 'default' ? {} : { reasoningEffort: config.reasoningEffort }),
    logger,
  });
  return {
    model: config.fallbackToOffline
      ? new FallbackChatModel({ primary, fallback: offlineModel(), logger })
      : primary,
    primary,
  };
}

/** Image requests wait this long for the model per attempt: gpt-image takes seconds, a turn has a minute. */
const IMAGE_MODEL_TIMEOUT_MS = 45_000;

/**
 * The configured image model, with the offline avatar library (in `style`) as its fallback unless that is
 * turned off; the library alone without an image model.
 */
function createImageGenerator(
  config: ImageModelConfig,
  options: { style: DiceBearStyleName; logger: Logger },
): ImageGenerator {
  const library = new DiceBearImageGenerator({ style: options.style });
  if (config.provider === 'offline') return library;
  const bundle =
    config.provider === 'azure'
      ? createOpenAiClient({
          provider: 'azure',
          endpoint: config.endpoint,
          apiVersion: config.apiVersion,
          deployment: config.deployment,
          apiKey: config.apiKey,
          timeoutMs: IMAGE_MODEL_TIMEOUT_MS,
          maxRetries: 1,
          logger: options.logger,
        })
      : createOpenAiClient({
          provider: 'openai',
          model: config.model,
          apiKey: config.apiKey,
          baseURL: config.baseURL,
          timeoutMs: IMAGE_MODEL_TIMEOUT_MS,
          maxRetries: 1,
          logger: options.logger,
        });
  const primary = new OpenAiImageGenerator({
    client: bundle.client,
    provider: bundle.provider,
    model: bundle.model,
    logger: options.logger,
  });
  return config.fallbackToOffline
    ? new FallbackImageGenerator({ primary, fallback: library, logger: options.logger })
    : primary;
}

function welcomeText(config: Readonly<AppConfig>): string {
  const offline = config.model.provider === 'offline' ? ' (running as the offline assistant)' : '';
  return [
    `Hi, I'm ${config.assistant.name}, the after-sales assistant of ${config.assistant.companyName}${offline}.`,
    'I can help with your orders, deliveries, returns, exchanges, refunds and warranties, or put you through to a person.',
    config.assistant.verificationRule === 'identifier_and_zip'
      ? 'To look at your orders I will first ask for your email address (or full name) and your zip code.'
      : 'To look at your orders I will first ask for your email address, or your full name and zip code.',
  ].join(' ');
}
