import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describeConfig, EnvironmentSchema, loadConfig } from '../../../src/config/config';
import { AppError } from '../../../src/shared/errors';

function configError(env: Record<string, string>): AppError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  it('returns the embedded defaults for an empty environment', () => {
    const config = loadConfig({});

    expect(config.port).toBe(3978);
    expect(config.host).toBe('127.0.0.1');
    expect(config.model).toEqual({ provider: 'offline' });
    expect(config.bot.appId).toBeNull();
    expect(config.assistant.verificationRule).toBe('identifier_and_zip');
    expect(Object.isFrozen(config.assistant)).toBe(true);
  });

  it('picks Azure OpenAI when its endpoint is set, with Entra ID when no key is given', () => {
    const config = loadConfig({
      AZURE_OPENAI_ENDPOINT: 'https://contoso.openai.azure.com',
      AZURE_OPENAI_CHAT_DEPLOYMENT: 'gpt-5-mini',
    });

    expect(config.model).toMatchObject({
      provider: 'azure',
      deployment: 'gpt-5-mini',
      apiKey: undefined,
      apiVersion: '2024-10-21',
    });
  });

  it('picks an OpenAI-compatible server when only a base URL is set', () => {
    expect(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1' }).model).toMatchObject({
      provider: 'openai',
      baseURL: 'http://127.0.0.1:8000/v1',
      model: 'gpt-5-mini',
    });
  });

  it('names every bad key in one error and never prints a secret', () => {
    const error = configError({
      PORT: 'eighty',
      LLM_PROVIDER: 'azure',
      AZURE_OPENAI_API_KEY: 'super-secret-key',
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppPassword: 'another-secret',
    });

    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain('PORT');
    expect(error.details.keys).toEqual(['PORT']);
    expect(error.message).not.toContain('super-secret-key');
  });

  it('names every missing setting of the chosen provider and bot type together', () => {
    const error = configError({
      LLM_PROVIDER: 'azure',
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppPassword: 'another-secret',
    });

    expect(error.details.keys).toEqual([
      'MicrosoftAppTenantId',
      'AZURE_OPENAI_ENDPOINT',
      'AZURE_OPENAI_CHAT_DEPLOYMENT',
    ]);
    expect(error.message).not.toContain('another-secret');
  });

  it('binds to all interfaces once inbound tokens are checked', () => {
    const config = loadConfig({
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppPassword: 'pw',
      MicrosoftAppTenantId: '00000000-0000-0000-0000-000000000002',
    });

    expect(config.host).toBe('0.0.0.0');
    expect(JSON.stringify(describeConfig(config))).not.toContain('"pw"');
  });

  it('runs the embedded Direct Line in local mode unless asked, and never prints the Direct Line secret', () => {
    const app = {
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppPassword: 'pw',
      MicrosoftAppTenantId: '00000000-0000-0000-0000-000000000002',
    };

    expect(loadConfig({}).web.embeddedDirectLine).toBe(true);
    expect(loadConfig({ DIRECT_LINE_EMBEDDED: 'false' }).web.embeddedDirectLine).toBe(false);
    const azure = loadConfig({ ...app, DIRECT_LINE_SECRET: 'dl-secret-value' });
    expect(azure.web.embeddedDirectLine).toBe(false);
    expect(JSON.stringify(describeConfig(azure))).not.toContain('dl-secret-value');
    expect(loadConfig({ ...app, DIRECT_LINE_EMBEDDED: 'true' }).web.embeddedDirectLine).toBe(true);
    expect(configError({ DIRECT_LINE_EMBEDDED: 'yes' }).details.keys).toEqual(['DIRECT_LINE_EMBEDDED']);
    expect(
      configError({ WEBCHAT_BUNDLE_URL: 'http://cdn.example/webchat.js' }).details.keys,
    ).toEqual(['WEBCHAT_BUNDLE_URL']);
  });

  it('rejects a password for a managed identity', () => {
    expect(
      configError({
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppId: 'x',
        MicrosoftAppTenantId: 't',
        MicrosoftAppPassword: 'pw',
      }).details.keys,
    ).toEqual(['MicrosoftAppPassword']);
  });
});

describe('loadConfig: images', () => {
  const azure = {
    AZURE_OPENAI_ENDPOINT: 'https://contoso.openai.azure.com',
    AZURE_OPENAI_API_KEY: 'azure-secret-key',
    AZURE_OPENAI_CHAT_DEPLOYMENT: 'chat',
  };

  it('draws with the offline avatar library when no image model is named', () => {
    const config = loadConfig(azure);

    expect(config.images.model).toEqual({ provider: 'offline' });
    expect(config.images.customerAvatarsPerDay).toBe(3);
    expect(config.publicBaseUrl).toBeNull();
  });

  it('draws with the Azure image deployment on the chat endpoint, with its own api-version', () => {
    const config = loadConfig({ ...azure, AZURE_OPENAI_IMAGE_DEPLOYMENT: 'gpt-image-1-mini' });

    expect(config.images.model).toEqual({
      provider: 'azure',
      endpoint: 'https://contoso.openai.azure.com',
      apiKey: 'azure-secret-key',
      apiVersion: '2025-04-01-preview',
      deployment: 'gpt-image-1-mini',
      fallbackToOffline: true,
    });
    expect(JSON.stringify(describeConfig(config))).not.toContain('azure-secret-key');
  });

  it('never describes a model key, whichever model it is for', () => {
    const config = loadConfig({
      ...azure,
      AZURE_OPENAI_IMAGE_DEPLOYMENT: 'gpt-image-1-mini',
      AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'text-embedding-3-small',
    });

    const described = describeConfig(config) as {
      model: { apiKey: string };
      images: { model: { apiKey: string } };
      recommendations: { embeddings: { apiKey: string } };
    };

    expect(described.model.apiKey).toBe('set');
    expect(described.images.model.apiKey).toBe('set');
    expect(described.recommendations.embeddings.apiKey).toBe('set');
    expect(JSON.stringify(described)).not.toContain('azure-secret-key');
  });

  it('draws with OPENAI_IMAGE_MODEL for the openai provider', () => {
    const config = loadConfig({
      OPENAI_API_KEY: 'sk-test',
      OPENAI_IMAGE_MODEL: 'gpt-image-1-mini',
    });

    expect(config.images.model).toMatchObject({ provider: 'openai', model: 'gpt-image-1-mini' });
  });

  it('takes 0 avatars a day to turn them off, and refuses a negative limit', () => {
    expect(loadConfig({ AVATAR_DAILY_LIMIT: '0' }).images.customerAvatarsPerDay).toBe(0);
    expect(configError({ AVATAR_DAILY_LIMIT: '-1' }).details.keys).toEqual(['AVATAR_DAILY_LIMIT']);
  });

  it('keeps the public base URL without a trailing slash, and refuses one that is not http(s)', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://bot.contoso.com/' }).publicBaseUrl).toBe(
      'https://bot.contoso.com',
    );
    expect(configError({ PUBLIC_BASE_URL: 'bot.contoso.com' }).details.keys).toEqual([
      'PUBLIC_BASE_URL',
    ]);
  });
});

describe('.env.example', () => {
  it('documents exactly the variables the config schema reads', () => {
    const example = readFileSync(path.resolve(__dirname, '../../../.env.example'), 'utf8');
    const documented = [...example.matchAll(/^#?\s*([A-Za-z][A-Za-z0-9_]*)=/gmu)].map(
      (match) => match[1],
    );

    expect(new Set(documented)).toEqual(new Set(Object.keys(EnvironmentSchema.shape)));
  });
});
