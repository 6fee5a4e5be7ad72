import { z } from 'zod';
import { AppError } from '../shared/errors';

/**
 * Every environment variable the assistant reads, with its default. `.env.example` documents the same list;
 * a test keeps the two in step. This module is the only reader of `process.env`.
 */

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const booleanFlag = (defaultValue: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .default(defaultValue ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveInteger = (defaultValue: number) =>
  z.coerce.number().int().positive().default(defaultValue);

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

const httpsUrl = z.url({ protocol: /^https$/, message: 'must be an https URL' });

/** A GUID as the Teams manifest schema checks it (Teams app ids, Microsoft App IDs). */
const optionalGuid = optionalText.pipe(
  z
    .string()
    .regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/u, {
      message: 'must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)',
    })
    .optional(),
);

/** A host name, optionally with a `*.` wildcard or a port, as Teams' `validDomains` takes it. */
const validDomain = /^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$/u;

/** Comma-separated {@link validDomain}s. */
const domainList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((domain) => domain.trim())
      .filter((domain) => domain !== ''),
  )
  .refine((domains) => domains.every((domain) => validDomain.test(domain)), {
    message: 'must be host names separated by commas (no https://, no path)',
  });

export const EnvironmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().trim().min(1).default('./data'),

  MicrosoftAppType: z
    .enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI'], {
      message: 'must be SingleTenant, MultiTenant or UserAssignedMSI',
    })
    .optional(),
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppTenantId: optionalText,

  LLM_PROVIDER: z
    .enum(['azure', 'openai', 'offline'], { message: 'must be azure, openai or offline' })
    .optional(),
  LLM_MODEL_FAMILY: z.enum(['auto', 'reasoning', 'classic']).default('auto'),
  LLM_FALLBACK_TO_OFFLINE: booleanFlag(true),
  // Reasoning models spend part of this on hidden reasoning, so it is set well above a chat answer's length.
  LLM_MAX_OUTPUT_TOKENS: positiveInteger(4096),
  LLM_REASONING_EFFORT: z.enum(['default', 'minimal', 'low', 'medium', 'high']).default('low'),
  AZURE_OPENAI_ENDPOINT: httpUrl.optional(),
  AZURE_OPENAI_API_KEY: optionalText,
  AZURE_OPENAI_API_VERSION: z.string().trim().min(1).default('2024-10-21'),
  AZURE_OPENAI_CHAT_DEPLOYMENT: optionalText,
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: httpUrl.optional(),
  OPENAI_MODEL: z.string().trim().min(1).default('gpt-5-mini'),

  // Images (avatars): an image model when one is named, else the offline avatar library (DiceBear).
  AZURE_OPENAI_IMAGE_DEPLOYMENT: optionalText,
  // gpt-image models need a newer api-version than chat's GA one on Azure's dated API.
  AZURE_OPENAI_IMAGE_API_VERSION: z.string().trim().min(1).default('2025-04-01-preview'),
  OPENAI_IMAGE_MODEL: optionalText,
  ASSISTANT_AVATAR_PROMPT: z
    .string()
    .trim()
    .min(1)
    .max(1_000)
    .default(
      'A warm, friendly portrait of a customer-service assistant, head and shoulders, smiling, flat illustration, soft blue background, no text',
    ),
  // 0 turns customers' avatars off.
  AVATAR_DAILY_LIMIT: z.coerce.number().int().min(0).max(100).default(3),
  PUBLIC_BASE_URL: httpUrl.optional(),

  WEB_PAGE_ENABLED: booleanFlag(true),
  WEBCHAT_BUNDLE_URL: z.url({ protocol: /^https$/, message: 'must be an https URL' }).optional(),
  DIRECT_LINE_EMBEDDED: z
    .enum(['auto', 'true', 'false'], { message: 'must be auto, true or false' })
    .default('auto'),
  DIRECT_LINE_SECRET: optionalText,
  DIRECT_LINE_ENDPOINT: httpUrl.default('https://directline.botframework.com/v3/directline'),

  ASSISTANT_NAME: z.string().trim().min(1).default('Ava'),
  COMPANY_NAME: z.string().trim().min(1).default('Contoso Home & Electronics'),
  VERIFICATION_RULE: z
    .enum(['identifier_and_zip', 'email_or_name_and_zip'])
    .default('identifier_and_zip'),
  POLICY_DOCUMENTS_DIR: optionalText,
  TURN_DEADLINE_MS: positiveInteger(60_000),
  TOOL_ROUNDS_MAX: positiveInteger(8),
  // Sized so a long conversation costs at most about 1.5x its second turn (`npm run bench`); identity and pending
  // changes live in state, not history, so trimming never forgets who the customer is.
  HISTORY_TOKEN_BUDGET: positiveInteger(1200),
  // Transcripts of every conversation (redacted) in <DATA_DIR>/transcripts.sqlite, deleted after a retention.
  TRANSCRIPTS_ENABLED: booleanFlag(true),
  // At most a century: a larger number of days is a typo, and would overflow the date arithmetic.
  TRANSCRIPT_RETENTION_DAYS: z.coerce.number().int().positive().max(36_500).default(30),

  // Product suggestions at the close of a happy conversation, from embeddings of the catalogue computed once.
  RECOMMENDATIONS_ENABLED: booleanFlag(true),
  // Empty with Azure: product embeddings are lexical vectors, computed offline.
  AZURE_OPENAI_EMBEDDING_DEPLOYMENT: optionalText,
  OPENAI_EMBEDDING_MODEL: z.string().trim().min(1).default('text-embedding-3-small'),

  // The agent desk: a Teams channel of the agents' team, learned when the bot is installed in a team.
  AGENT_DESK_TEAM_ID: optionalText,
  AGENT_DESK_CHANNEL_ID: optionalText,
  TEAMS_SIGN_IN_VERIFICATION: booleanFlag(true),

  // Teams app package (`npm run teams:package`); the running bot does not read these.
  TEAMS_APP_ID: optionalGuid,
  TEAMS_DEVELOPER_WEBSITE_URL: httpsUrl.default('https://www.example.com'),
  TEAMS_PRIVACY_URL: httpsUrl.default('https://www.example.com/privacy'),
  TEAMS_TERMS_OF_USE_URL: httpsUrl.default('https://www.example.com/terms'),
  TEAMS_VALID_DOMAINS: domainList,
  // Teams asks for 1.5 to 2 s between streamed updates; its rate limit (8 sends in 2 s per conversation) sets
  // the floor.
  TEAMS_STREAM_INTERVAL_MS: z.coerce.number().int().min(250).default(1500),

  // Who judges each customer message's mood: auto = the configured model, or the lexicon offline.
  MOOD_JUDGE: z
    .enum(['auto', 'model', 'lexicon', 'off'], { message: 'must be auto, model, lexicon or off' })
    .default('auto'),
});

export type Environment = z.infer<typeof EnvironmentSchema>;

export type ModelConfig =
  | { provider: 'offline' }
  | {
      provider: 'azure';
      endpoint: string;
      apiKey: string | undefined;
      apiVersion: string;
      deployment: string;
      modelFamily: 'auto' | 'reasoning' | 'classic';
      maxOutputTokens: number;
      reasoningEffort: ReasoningEffort;
      fallbackToOffline: boolean;
    }
  | {
      provider: 'openai';
      apiKey: string | undefined;
      baseURL: string | undefined;
      model: string;
      modelFamily: 'auto' | 'reasoning' | 'classic';
      maxOutputTokens: number;
      reasoningEffort: ReasoningEffort;
      fallbackToOffline: boolean;
    };

/**
 * Where images come from. An image model is used when one is named for the chat model's provider; the
 * offline avatar library (DiceBear) otherwise, and as the fallback while the model is down.
 */
export type ImageModelConfig =
  | { provider: 'offline' }
  | {
      provider: 'azure';
      endpoint: string;
      apiKey: string | undefined;
      apiVersion: string;
      deployment: string;
      fallbackToOffline: boolean;
    }
  | {
      provider: 'openai';
      apiKey: string | undefined;
      baseURL: string | undefined;
      model: string;
      fallbackToOffline: boolean;
    };

/**
 * Where embeddings come from: the chat provider's embeddings model (an Azure embeddings deployment, or an OpenAI
 * model), or lexical vectors computed offline (offline, and on Azure without an embeddings deployment).
 */
export type EmbeddingsConfig =
  | { provider: 'offline' }
  | {
      provider: 'azure';
      endpoint: string;
      apiKey: string | undefined;
      apiVersion: string;
      deployment: string;
    }
  | { provider: 'openai'; apiKey: string | undefined; baseURL: string | undefined; model: string };

/** Sent to reasoning models only; `default` sends nothing and leaves the model's own default. */
export type ReasoningEffort = 'default' | 'minimal' | 'low' | 'medium' | 'high';

export interface BotAuthConfig {
  /** Null in local mode: inbound tokens are not checked, so the server binds to loopback by default. */
  appId: string | null;
  appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
  appPassword: string | undefined;
  tenantId: string | undefined;
}

export interface AppConfig {
  port: number;
  host: string;
  logLevel: Environment['LOG_LEVEL'];
  dataDir: string;
  bot: BotAuthConfig;
  model: ModelConfig;
  /** Generated avatars: the assistant's, and those customers ask for. */
  images: {
    model: ImageModelConfig;
    /** What the assistant's avatar shows; it is drawn once and kept until this or the image model changes. */
    assistantAvatarPrompt: string;
    /** Avatars one customer (or one unverified conversation) may have made per UTC day; 0 turns them off. */
    customerAvatarsPerDay: number;
  };
  /**
   * The public https origin of this server (`https://bot.contoso.com`), for links that leave it: images in
   * Teams messages and the assistant's avatar on Teams cards. Null: only the web page shows images.
   */
  publicBaseUrl: string | null;
  web: {
    /** Serve the chat page at `/`. */
    pageEnabled: boolean;
    /** Where the page loads Web Chat from: a CDN URL, or null for the copy installed with the project. */
    webChatBundleUrl: string | null;
    /** Run the embedded Direct Line service (local mode). */
    embeddedDirectLine: boolean;
    /** The Azure Bot's Direct Line secret: exchanged for tokens server-side, never sent to the browser. */
    directLineSecret: string | undefined;
    /** The Direct Line service the secret belongs to (regional endpoints differ). */
    directLineEndpoint: string;
  };
  assistant: {
    name: string;
    companyName: string;
    verificationRule: Environment['VERIFICATION_RULE'];
    policyDocumentsDir: string | undefined;
    turnDeadlineMs: number;
    toolRoundsMax: number;
    historyTokenBudget: number;
  };
  handoff: {
    /** Only this team's installation makes a desk (its id, `19:…@thread.tacv2`); null: the first team. */
    deskTeamId: string | null;
    /** The channel escalations go to; null: the General channel of the desk's team. */
    deskChannelId: string | null;
  };
  /** Verify a Teams customer by the email of their Teams sign-in when it matches a customer record. */
  teamsSignInVerification: boolean;
  /** What the Teams app package (`npm run teams:package`) puts in its manifest. */
  teams: {
    /** The Teams app's id; null means the bot's app id (`MicrosoftAppId`) serves as the app id too. */
    appId: string | null;
    developerWebsiteUrl: string;
    privacyUrl: string;
    termsOfUseUrl: string;
    /** Host names Teams may load inside the app; the bot shows no web content in Teams, so none by default. */
    validDomains: string[];
  };
  streaming: {
    /** Least time between two streamed updates of an answer in a Teams personal chat. */
    teamsIntervalMs: number;
  };
  /**
   * Suggestions of products like those the customer bought, at the natural close of a resolved conversation with
   * a satisfied customer (judged by the configured model, or offline from the mood and what happened).
   */
  recommendations: {
    enabled: boolean;
    /** Product embeddings: computed once per product and model, kept in `<dataDir>/product-vectors.sqlite`. */
    embeddings: EmbeddingsConfig;
  };
  transcripts: {
    /** Keep a redacted transcript of every conversation in `<dataDir>/transcripts.sqlite`. */
    enabled: boolean;
    /** A transcript with no activity for this many days is deleted as a whole. */
    retentionDays: number;
  };
  mood: {
    /**
     * Who judges each customer message's mood (`MOOD_JUDGE`, `auto` resolved): the configured GPT model (the
     * lexicon when it fails or is slow), the sentiment lexicon alone, or nobody.
     */
    judge: 'model' | 'lexicon' | 'off';
  };
}

/** Parses the environment into a frozen config, or throws one AppError naming every bad key. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Readonly<AppConfig> {
  const parsed = EnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    throw configError(
      parsed.error.issues.map((issue) => ({
        key: issue.path.join('.') || '(environment)',
        problem: issue.message,
      })),
    );
  }
  const values = parsed.data;
  const problems: { key: string; problem: string }[] = [];
  const bot = resolveBotAuth(values, problems);
  const model = resolveModel(values, problems);
  const embeddedDirectLine = resolveEmbeddedDirectLine(values, bot);
  if (values.MOOD_JUDGE === 'model' && model.provider === 'offline') {
    problems.push({ key: 'MOOD_JUDGE', problem: 'model needs a configured model (LLM_PROVIDER)' });
  }
  if (problems.length > 0) throw configError(problems);

  return deepFreeze({
    port: values.PORT,
    // Without an app id nobody's token is checked, so only this machine should reach the bot unless the
    // operator says otherwise.
    host: values.HOST ?? (bot.appId === null ? '127.0.0.1' : '0.0.0.0'),
    logLevel: values.LOG_LEVEL,
    dataDir: values.DATA_DIR,
    bot,
    model,
    images: {
      model: resolveImageModel(values, model),
      assistantAvatarPrompt: values.ASSISTANT_AVATAR_PROMPT,
      customerAvatarsPerDay: values.AVATAR_DAILY_LIMIT,
    },
    publicBaseUrl:
      values.PUBLIC_BASE_URL === undefined ? null : values.PUBLIC_BASE_URL.replace(/\/+$/u, ''),
    web: {
      pageEnabled: values.WEB_PAGE_ENABLED,
      webChatBundleUrl: values.WEBCHAT_BUNDLE_URL ?? null,
      embeddedDirectLine,
      directLineSecret: values.DIRECT_LINE_SECRET,
      directLineEndpoint: values.DIRECT_LINE_ENDPOINT.replace(/\/+$/u, ''),
    },
    assistant: {
      name: values.ASSISTANT_NAME,
      companyName: values.COMPANY_NAME,
      verificationRule: values.VERIFICATION_RULE,
      policyDocumentsDir: values.POLICY_DOCUMENTS_DIR,
      turnDeadlineMs: values.TURN_DEADLINE_MS,
      toolRoundsMax: values.TOOL_ROUNDS_MAX,
      historyTokenBudget: values.HISTORY_TOKEN_BUDGET,
    },
    handoff: {
      deskTeamId: values.AGENT_DESK_TEAM_ID ?? null,
      deskChannelId: values.AGENT_DESK_CHANNEL_ID ?? null,
    },
    teamsSignInVerification: values.TEAMS_SIGN_IN_VERIFICATION,
    teams: {
      appId: values.TEAMS_APP_ID ?? null,
      developerWebsiteUrl: values.TEAMS_DEVELOPER_WEBSITE_URL,
      privacyUrl: values.TEAMS_PRIVACY_URL,
      termsOfUseUrl: values.TEAMS_TERMS_OF_USE_URL,
      validDomains: values.TEAMS_VALID_DOMAINS,
    },
    streaming: {
      teamsIntervalMs: values.TEAMS_STREAM_INTERVAL_MS,
    },
    recommendations: {
      enabled: values.RECOMMENDATIONS_ENABLED,
      embeddings: resolveEmbeddings(values, model),
    },
    transcripts: {
      enabled: values.TRANSCRIPTS_ENABLED,
      retentionDays: values.TRANSCRIPT_RETENTION_DAYS,
    },
    mood: {
      judge:
        values.MOOD_JUDGE === 'auto'
          ? model.provider === 'offline'
            ? 'lexicon'
            : 'model'
          : values.MOOD_JUDGE,
    },
  });
}

/**
 * The embedded Direct Line serves local mode: on by default without an app id, opt-in with one (it then hands
 * activities to the bot in-process, since it cannot mint the Bot Framework tokens the endpoint requires).
 */
function resolveEmbeddedDirectLine(values: Environment, bot: BotAuthConfig): boolean {
  if (values.DIRECT_LINE_EMBEDDED === 'auto') return bot.appId === null;
  return values.DIRECT_LINE_EMBEDDED === 'true';
}

function resolveBotAuth(
  values: Environment,
  problems: { key: string; problem: string }[],
): BotAuthConfig {
  const appId = values.MicrosoftAppId ?? null;
  // New Azure Bot registrations are SingleTenant or UserAssignedMSI; MultiTenant stays accepted for old ones.
  const appType = values.MicrosoftAppType ?? 'SingleTenant';
  if (appId === null) {
    if (values.MicrosoftAppPassword !== undefined) {
      problems.push({
        key: 'MicrosoftAppId',
        problem: 'is required when MicrosoftAppPassword is set',
      });
    }
    return { appId, appType, appPassword: undefined, tenantId: values.MicrosoftAppTenantId };
  }
  if (appType !== 'MultiTenant' && values.MicrosoftAppTenantId === undefined) {
    problems.push({
      key: 'MicrosoftAppTenantId',
      problem: `is required for MicrosoftAppType ${appType}`,
    });
  }
  if (appType === 'UserAssignedMSI' && values.MicrosoftAppPassword !== undefined) {
    problems.push({ key: 'MicrosoftAppPassword', problem: 'must not be set for UserAssignedMSI' });
  }
  if (appType !== 'UserAssignedMSI' && values.MicrosoftAppPassword === undefined) {
    problems.push({
      key: 'MicrosoftAppPassword',
      problem: `is required for MicrosoftAppType ${appType}`,
    });
  }
  return {
    appId,
    appType,
    appPassword: values.MicrosoftAppPassword,
    tenantId: values.MicrosoftAppTenantId,
  };
}

function resolveModel(
  values: Environment,
  problems: { key: string; problem: string }[],
): ModelConfig {
  const provider =
    values.LLM_PROVIDER ??
    (values.AZURE_OPENAI_ENDPOINT !== undefined
      ? 'azure'
      : values.OPENAI_API_KEY !== undefined || values.OPENAI_BASE_URL !== undefined
        ? 'openai'
        : 'offline');
  const shared = {
    modelFamily: values.LLM_MODEL_FAMILY,
    maxOutputTokens: values.LLM_MAX_OUTPUT_TOKENS,
    reasoningEffort: values.LLM_REASONING_EFFORT,
    fallbackToOffline: values.LLM_FALLBACK_TO_OFFLINE,
  };
  switch (provider) {
    case 'offline':
      return { provider };
    case 'azure':
      if (values.AZURE_OPENAI_ENDPOINT === undefined) {
        problems.push({
          key: 'AZURE_OPENAI_ENDPOINT',
          problem: 'is required when LLM_PROVIDER is azure',
        });
      }
      if (values.AZURE_OPENAI_CHAT_DEPLOYMENT === undefined) {
        problems.push({
          key: 'AZURE_OPENAI_CHAT_DEPLOYMENT',
          problem: 'is required when LLM_PROVIDER is azure',
        });
      }
      return {
        provider,
        endpoint: values.AZURE_OPENAI_ENDPOINT ?? '',
        apiKey: values.AZURE_OPENAI_API_KEY,
        apiVersion: values.AZURE_OPENAI_API_VERSION,
        deployment: values.AZURE_OPENAI_CHAT_DEPLOYMENT ?? '',
        ...shared,
      };
    case 'openai':
      if (values.OPENAI_API_KEY === undefined && values.OPENAI_BASE_URL === undefined) {
        problems.push({
          key: 'OPENAI_API_KEY',
          problem:
            'is required when LLM_PROVIDER is openai (or set OPENAI_BASE_URL for a compatible server)',
        });
      }
      return {
        provider,
        apiKey: values.OPENAI_API_KEY,
        baseURL: values.OPENAI_BASE_URL,
        model: values.OPENAI_MODEL,
        ...shared,
      };
  }
}

/** The image model of the chat model's provider when one is named; the offline avatar library otherwise. */
function resolveImageModel(values: Environment, model: ModelConfig): ImageModelConfig {
  if (model.provider === 'azure' && values.AZURE_OPENAI_IMAGE_DEPLOYMENT !== undefined) {
    return {
      provider: 'azure',
      endpoint: model.endpoint,
      apiKey: model.apiKey,
      apiVersion: values.AZURE_OPENAI_IMAGE_API_VERSION,
      deployment: values.AZURE_OPENAI_IMAGE_DEPLOYMENT,
      fallbackToOffline: model.fallbackToOffline,
    };
  }
  if (model.provider === 'openai' && values.OPENAI_IMAGE_MODEL !== undefined) {
    return {
      provider: 'openai',
      apiKey: model.apiKey,
      baseURL: model.baseURL,
      model: values.OPENAI_IMAGE_MODEL,
      fallbackToOffline: model.fallbackToOffline,
    };
  }
  return { provider: 'offline' };
}

/** The chat provider's embeddings model when there is one to use; lexical vectors otherwise. */
function resolveEmbeddings(values: Environment, model: ModelConfig): EmbeddingsConfig {
  if (model.provider === 'azure' && values.AZURE_OPENAI_EMBEDDING_DEPLOYMENT !== undefined) {
    return {
      provider: 'azure',
      endpoint: model.endpoint,
      apiKey: model.apiKey,
      apiVersion: model.apiVersion,
      deployment: values.AZURE_OPENAI_EMBEDDING_DEPLOYMENT,
    };
  }
  if (model.provider === 'openai') {
    return {
      provider: 'openai',
      apiKey: model.apiKey,
      baseURL: model.baseURL,
      model: values.OPENAI_EMBEDDING_MODEL,
    };
  }
  return { provider: 'offline' };
}

function configError(problems: { key: string; problem: string }[]): AppError {
  const lines = problems.map(({ key, problem }) => `  ${key}: ${problem}`);
  return new AppError('config_invalid', `Invalid configuration:\n${lines.join('\n')}`, {
    details: { keys: problems.map(({ key }) => key) },
  });
}

/** A model's settings as they may be logged: its API key replaced by whether it is set. */
function withKeyMasked<T extends { provider: string; apiKey?: string | undefined }>(
  settings: T,
): T | (Omit<T, 'apiKey'> & { apiKey: 'set' | 'unset' }) {
  if (settings.provider === 'offline') return settings;
  return { ...settings, apiKey: settings.apiKey === undefined ? 'unset' : 'set' };
}

/** The config as it may be logged: secrets replaced by whether they are set. */
export function describeConfig(config: Readonly<AppConfig>): Record<string, unknown> {
  return {
    port: config.port,
    host: config.host,
    dataDir: config.dataDir,
    bot: { ...config.bot, appPassword: config.bot.appPassword === undefined ? 'unset' : 'set' },
    model: withKeyMasked(config.model),
    images: { ...config.images, model: withKeyMasked(config.images.model) },
    publicBaseUrl: config.publicBaseUrl,
    web: {
      ...config.web,
      directLineSecret: config.web.directLineSecret === undefined ? 'unset' : 'set',
    },
    assistant: config.assistant,
    handoff: config.handoff,
    teamsSignInVerification: config.teamsSignInVerification,
    teams: config.teams,
    streaming: config.streaming,
    recommendations: {
      enabled: config.recommendations.enabled,
      embeddings: withKeyMasked(config.recommendations.embeddings),
    },
    transcripts: config.transcripts,
    mood: config.mood,
  };
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
