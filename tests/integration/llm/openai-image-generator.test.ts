import { createOpenAiClient } from '../../../src/llm/create-openai-client';
import { DiceBearImageGenerator } from '../../../src/llm/dicebear-image-generator';
import { FallbackImageGenerator } from '../../../src/llm/fallback-image-generator';
import { OpenAiImageGenerator } from '../../../src/llm/openai-image-generator';
import { expectAppError } from '../../helpers/expect-error';
import {
  azureImageFilteredReply,
  azurePromptFilteredReply,
  credentialFingerprint,
  errorReply,
  fakePng,
  imageReply,
  openAiImageModerationReply,
  rateLimitReply,
  startFakeOpenAiServer,
  type FakeOpenAiServer,
} from '../../helpers/fake-openai-server';

/** The real `openai` client against the local server speaking the image API's wire format. */
let server: FakeOpenAiServer;

beforeAll(async () => {
  server = await startFakeOpenAiServer();
});

afterEach(() => {
  server.reset();
});

afterAll(async () => {
  await server.close();
});

const AZURE_KEY = 'azure-image-key';
const DEPLOYMENT = 'avatars-gpt-image-1-mini';

function azureGenerator(options: { maxRetries?: number } = {}): OpenAiImageGenerator {
  const bundle = createOpenAiClient({
    provider: 'azure',
    endpoint: server.url,
    apiVersion: '2025-04-01-preview',
    deployment: DEPLOYMENT,
    apiKey: AZURE_KEY,
    maxRetries: options.maxRetries ?? 0,
  });
  return new OpenAiImageGenerator({
    client: bundle.client,
    provider: bundle.provider,
    model: bundle.model,
  });
}

function openAiGenerator(): OpenAiImageGenerator {
  const bundle = createOpenAiClient({
    provider: 'openai',
    model: 'gpt-image-1-mini',
    apiKey: 'openai-key',
    baseURL: server.openAiBaseUrl,
    maxRetries: 0,
  });
  return new OpenAiImageGenerator({
    client: bundle.client,
    provider: bundle.provider,
    model: bundle.model,
  });
}

describe('OpenAiImageGenerator on Azure OpenAI', () => {
  it("posts to the deployment's images/generations path with the api-version and key", async () => {
    await azureGenerator().generate({ prompt: 'a fox astronaut' });

    const [request] = server.imageRequests();
    expect(request!.path).toBe(`/openai/deployments/${DEPLOYMENT}/images/generations`);
    expect(request!.query['api-version']).toBe('2025-04-01-preview');
    expect(request!.credentials.apiKey).toBe(credentialFingerprint(AZURE_KEY));
  });

  it('asks for one low-quality square image and no response_format, which gpt-image refuses', async () => {
    await azureGenerator().generate({ prompt: 'a fox astronaut' });

    const body = server.imageRequests()[0]!.body as Record<string, unknown>;
    expect(body).toEqual({
      model: DEPLOYMENT,
      prompt: 'a fox astronaut',
      n: 1,
      size: '1024x1024',
      quality: 'low',
    });
  });

  it('returns the b64_json image as PNG bytes, made by the deployment', async () => {
    const drawn = fakePng('fox');
    server.scriptImages(imageReply({ bytes: drawn }));

    const image = await azureGenerator().generate({ prompt: 'a fox astronaut' });

    expect(Buffer.compare(Buffer.from(image.bytes), drawn)).toBe(0);
    expect(image).toMatchObject({
      contentType: 'image/png',
      madeBy: DEPLOYMENT,
      depictsPrompt: true,
    });
  });

  it("turns Azure's image filter refusal of a prompt into an expected model_content_filtered", async () => {
    server.scriptImages(azureImageFilteredReply());

    const error = await expectAppError(azureGenerator().generate({ prompt: 'something refused' }));

    expect(error.code).toBe('model_content_filtered');
    expect(error.expected).toBe(true);
    expect(error.details).toMatchObject({ stage: 'prompt', status: 400 });
  });

  it('says the drawing, not the prompt, was refused when Azure filtered the generated image', async () => {
    server.scriptImages(azureImageFilteredReply({ stage: 'image' }));

    const error = await expectAppError(azureGenerator().generate({ prompt: 'borderline' }));

    expect(error.code).toBe('model_content_filtered');
    expect(error.details).toMatchObject({ stage: 'image' });
  });

  it("reads Azure's chat-style content_filter refusal with its categories", async () => {
    server.scriptImages(azurePromptFilteredReply({ filtered: { violence: 'high' } }));

    const error = await expectAppError(azureGenerator().generate({ prompt: 'something violent' }));

    expect(error.code).toBe('model_content_filtered');
    expect(error.details).toMatchObject({ stage: 'prompt', categories: ['violence'] });
  });

  it('reports model_rate_limited after the retries run out', async () => {
    server.scriptImages(rateLimitReply({ retryAfterMs: 10 }), rateLimitReply({ retryAfterMs: 10 }));

    const error = await expectAppError(
      azureGenerator({ maxRetries: 1 }).generate({ prompt: 'a cat' }),
    );

    expect(error.code).toBe('model_rate_limited');
    expect(server.imageRequests()).toHaveLength(2);
  });

  it('reports model_unavailable for a server error and for an unknown deployment', async () => {
    server.scriptImages(errorReply(500), errorReply(404));

    const serverError = await expectAppError(azureGenerator().generate({ prompt: 'a cat' }));
    const missing = await expectAppError(azureGenerator().generate({ prompt: 'a cat' }));

    expect(serverError.code).toBe('model_unavailable');
    expect(missing.code).toBe('model_unavailable');
  });

  it('reports model_bad_response for an answer without image data', async () => {
    server.scriptImages(
      errorReply(200, { created: 1, data: [{ url: 'https://example.invalid/x.png' }] }),
    );

    const error = await expectAppError(azureGenerator().generate({ prompt: 'a cat' }));

    expect(error.code).toBe('model_bad_response');
    expect(error.details).toMatchObject({ reason: 'no_image_data' });
  });

  it('reports model_bad_response for data that is no image', async () => {
    server.scriptImages(imageReply({ bytes: Buffer.from('<script>alert(1)</script>') }));

    const error = await expectAppError(azureGenerator().generate({ prompt: 'a cat' }));

    expect(error.code).toBe('model_bad_response');
    expect(error.details).toMatchObject({ reason: 'not_an_image' });
  });

  it('stops with turn_cancelled when the signal aborts while the model draws', async () => {
    server.scriptImages(imageReply({ delayMs: 2_000 }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    const error = await expectAppError(
      azureGenerator().generate({ prompt: 'a cat', signal: controller.signal }),
    );

    expect(error.code).toBe('turn_cancelled');
  });
});

describe('OpenAiImageGenerator on OpenAI', () => {
  it('posts to /v1/images/generations with the image model', async () => {
    const image = await openAiGenerator().generate({ prompt: 'a cat reading' });

    const [request] = server.imageRequests();
    expect(request!.path).toBe('/v1/images/generations');
    expect(request!.model).toBe('gpt-image-1-mini');
    expect(image.contentType).toBe('image/png');
  });

  it("turns OpenAI's moderation_blocked into model_content_filtered", async () => {
    server.scriptImages(openAiImageModerationReply());

    const error = await expectAppError(openAiGenerator().generate({ prompt: 'something refused' }));

    expect(error.code).toBe('model_content_filtered');
  });
});

describe('FallbackImageGenerator', () => {
  it('draws with the avatar library while the image model is down', async () => {
    server.scriptImages(errorReply(503));
    const generator = new FallbackImageGenerator({
      primary: azureGenerator(),
      fallback: new DiceBearImageGenerator(),
    });

    const image = await generator.generate({ prompt: 'a fox astronaut' });

    expect(image).toMatchObject({
      contentType: 'image/svg+xml',
      madeBy: 'dicebear/thumbs',
      depictsPrompt: false,
    });
  });

  it('passes a content-filter refusal on instead of drawing with the library', async () => {
    server.scriptImages(azureImageFilteredReply());
    const generator = new FallbackImageGenerator({
      primary: azureGenerator(),
      fallback: new DiceBearImageGenerator(),
    });

    const error = await expectAppError(generator.generate({ prompt: 'something refused' }));

    expect(error.code).toBe('model_content_filtered');
  });
});
