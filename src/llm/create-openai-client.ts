import { DefaultAzureCredential, getBearerTokenProvider } from '@azure/identity';
import type { TokenCredential } from '@azure/identity';
import { AzureOpenAI, OpenAI } from 'openai';
import type { ClientOptions } from 'openai';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { nodeHttpFetch } from './node-http-fetch';

/** The Entra ID scope Azure OpenAI accepts, for both the dated and the v1 API surfaces. */
export const AZURE_COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

/** The SDK's connect-and-headers timeout we default to: a chat turn has a one-minute budget, not ten. */
export const DEFAULT_MODEL_TIMEOUT_MS = 30_000;

/** The SDK's own default; it retries 408, 409, 429 and 5xx, honouring `retry-after-ms` and `retry-after`. */
export const DEFAULT_MODEL_MAX_RETRIES = 2;

interface CommonClientOptions {
  /** Retries the SDK makes on 408/409/429/5xx and connection errors. Default 2. */
  maxRetries?: number;
  /** Time allowed for connecting and receiving response headers, per attempt. Default 30 000 ms. */
  timeoutMs?: number;
  /** Where the SDK's own warnings go (never request bodies). Default: nowhere. */
  logger?: Logger;
  /** Replaces the default fetch ({@link nodeHttpFetch}); for tests and proxies. */
  fetch?: ClientOptions['fetch'];
}

/**
 * Azure OpenAI. With `apiKey` the key is sent in the `api-key` header; without it Microsoft Entra ID is used
 * through `credential` (default `DefaultAzureCredential`: managed identity in Azure, `az login` locally),
 * which needs the "Cognitive Services OpenAI User" role on the resource.
 */
export interface AzureOpenAiClientOptions extends CommonClientOptions {
  provider: 'azure';
  /** The resource endpoint, e.g. `https://contoso.openai.azure.com` (no `/openai` suffix). */
  endpoint: string;
  /**
   * A dated version (`2024-10-21`, the latest GA) selects `/openai/deployments/{deployment}/…?api-version=…`;
   * `v1` selects the GA v1 surface `/openai/v1/…`, where the deployment name goes in the body's `model`.
   */
  apiVersion: string;
  deployment: string;
  apiKey?: string;
  credential?: TokenCredential;
  /** Entra ID scope. Default `https://cognitiveservices.azure.com/.default`. */
  tokenScope?: string;
}

/** OpenAI, or any OpenAI-compatible server through `baseURL` (a local server may need no key). */
export interface PlainOpenAiClientOptions extends CommonClientOptions {
  provider: 'openai';
  model: string;
  apiKey?: string;
  /** Default `https://api.openai.com/v1`. */
  baseURL?: string;
}

export type OpenAiClientOptions = AzureOpenAiClientOptions | PlainOpenAiClientOptions;

/** Which HTTP surface the client speaks; it decides paths and how credentials travel. */
export type OpenAiApiSurface = 'azure-deployments' | 'azure-v1' | 'openai';

export interface OpenAiClientBundle {
  client: OpenAI;
  provider: 'azure' | 'openai';
  /** What goes in the request's `model`: the Azure deployment name or the model name. */
  model: string;
  surface: OpenAiApiSurface;
}

/**
 * A compatible server without authentication still needs a non-empty key: the SDK refuses to build a client
 * without one and sends it as a bearer token, which such servers ignore.
 */
const NO_KEY_PLACEHOLDER = 'no-key-required';

/**
 * Builds an `openai` client from explicit options. Nothing here reads `process.env`; options the SDK would
 * otherwise take from the environment (organization, project, admin key, base URL, log level) are pinned,
 * so the process environment cannot change where requests go or which credential they carry.
 */
export function createOpenAiClient(options: OpenAiClientOptions): OpenAiClientBundle {
  assertUsable(options);
  const common = {
    maxRetries: options.maxRetries ?? DEFAULT_MODEL_MAX_RETRIES,
    timeout: options.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS,
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    ...sdkLogging(options.logger),
    fetch: options.fetch ?? nodeHttpFetch,
  } satisfies ClientOptions;

  if (options.provider === 'openai') {
    const client = new OpenAI({
      ...common,
      apiKey: nonEmpty(options.apiKey) ?? NO_KEY_PLACEHOLDER,
      baseURL: nonEmpty(options.baseURL) ?? 'https://api.openai.com/v1',
    });
    return { client, provider: 'openai', model: options.model, surface: 'openai' };
  }

  const endpoint = trimTrailingSlashes(options.endpoint);
  const apiKey = nonEmpty(options.apiKey);
  const tokenProvider =
    apiKey === undefined
      ? getBearerTokenProvider(
          options.credential ?? new DefaultAzureCredential(),
          options.tokenScope ?? AZURE_COGNITIVE_SERVICES_SCOPE,
        )
      : undefined;

  if (options.apiVersion.trim().toLowerCase() === 'v1') {
    const client = new OpenAI({
      ...common,
      baseURL: `${endpoint}/openai/v1/`,
      // The SDK calls a function-valued key before every request and sends the result as a bearer token;
      // getBearerTokenProvider caches and refreshes the Entra token behind it.
      apiKey: tokenProvider ?? apiKey,
      // A key also goes in Azure's own header: the v1 surface takes it as a bearer token, API Management
      // gateways in front of Azure OpenAI usually expect `api-key`.
      ...(apiKey === undefined ? {} : { defaultHeaders: { 'api-key': apiKey } }),
    });
    return { client, provider: 'azure', model: options.deployment, surface: 'azure-v1' };
  }

  const client = new AzureOpenAI({
    ...common,
    // baseURL rather than endpoint: AzureOpenAI falls back to OPENAI_BASE_URL when baseURL is undefined and
    // then rejects the endpoint as conflicting.
    baseURL: `${endpoint}/openai`,
    apiVersion: options.apiVersion,
    deployment: options.deployment,
    // An empty key (not undefined) stops AzureOpenAI from falling back to AZURE_OPENAI_API_KEY, which would
    // conflict with the token provider.
    ...(tokenProvider === undefined
      ? { apiKey }
      : { apiKey: '', azureADTokenProvider: tokenProvider }),
  });
  return { client, provider: 'azure', model: options.deployment, surface: 'azure-deployments' };
}

/** The SDK logs to the console by default and reads OPENAI_LOG; its lines go to our logger instead, or nowhere. */
function sdkLogging(logger: Logger | undefined): Pick<ClientOptions, 'logger' | 'logLevel'> {
  if (logger === undefined) return { logLevel: 'off' };
  const child = logger.child({ component: 'openai-sdk' });
  // Only the message string is kept: the SDK's extra arguments can hold request details. Its info lines
  // (one per request and retry, with method, URL and status) are worth having when we log at debug.
  return {
    logLevel: logger.isLevelEnabled('debug') ? 'info' : 'warn',
    logger: {
      error: (message: string) => child.error({ sdkMessage: message }, 'model-sdk-error'),
      warn: (message: string) => child.warn({ sdkMessage: message }, 'model-sdk-warning'),
      info: (message: string) => child.debug({ sdkMessage: message }, 'model-sdk-info'),
      debug: () => undefined,
    },
  };
}

/** Fails with one clear error naming every unusable option, before the SDK fails later and vaguely. */
function assertUsable(options: OpenAiClientOptions): void {
  const problems: string[] = [];
  if (options.provider === 'azure') {
    if (!isHttpUrl(options.endpoint)) problems.push('endpoint must be an http(s) URL');
    if (nonEmpty(options.deployment) === undefined) problems.push('deployment is required');
    if (nonEmpty(options.apiVersion) === undefined) problems.push('apiVersion is required');
  } else {
    if (nonEmpty(options.model) === undefined) problems.push('model is required');
    if (options.baseURL !== undefined && !isHttpUrl(options.baseURL)) {
      problems.push('baseURL must be an http(s) URL');
    }
  }
  if (
    options.maxRetries !== undefined &&
    !(Number.isInteger(options.maxRetries) && options.maxRetries >= 0)
  ) {
    problems.push('maxRetries must be a whole number, 0 or more');
  }
  if (
    options.timeoutMs !== undefined &&
    !(Number.isInteger(options.timeoutMs) && options.timeoutMs > 0)
  ) {
    problems.push('timeoutMs must be a positive whole number');
  }
  if (problems.length > 0) {
    throw new AppError(
      'config_invalid',
      `Invalid ${options.provider} model client options: ${problems.join('; ')}`,
      {
        details: { provider: options.provider, problems },
      },
    );
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function trimTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end -= 1;
  return url.slice(0, end);
}

/** The chat model a configuration names: an Azure deployment or an OpenAI(-compatible) model. */
export type ChatModelSettings =
  | {
      provider: 'azure';
      endpoint: string;
      apiVersion: string;
      deployment: string;
      apiKey?: string | undefined;
    }
  | {
      provider: 'openai';
      model: string;
      apiKey?: string | undefined;
      baseURL?: string | undefined;
    };

/** A client for the configured chat model, for the assistant's turns and for side calls such as judgements. */
export function createChatModelClient(
  settings: ChatModelSettings,
  options: CommonClientOptions = {},
): OpenAiClientBundle {
  return settings.provider === 'azure'
    ? createOpenAiClient({
        provider: 'azure',
        endpoint: settings.endpoint,
        apiVersion: settings.apiVersion,
        deployment: settings.deployment,
        ...(settings.apiKey === undefined ? {} : { apiKey: settings.apiKey }),
        ...options,
      })
    : createOpenAiClient({
        provider: 'openai',
        model: settings.model,
        ...(settings.apiKey === undefined ? {} : { apiKey: settings.apiKey }),
        ...(settings.baseURL === undefined ? {} : { baseURL: settings.baseURL }),
        ...options,
      });
}
