import { createOpenAiClient } from '../../../src/llm/create-openai-client';
import { OpenAiEmbeddings } from '../../../src/llm/openai-embeddings';
import { AppError } from '../../../src/shared/errors';
import {
  credentialFingerprint,
  startFakeOpenAiServer,
  type FakeOpenAiServer,
} from '../../helpers/fake-openai-server';

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

function azureEmbeddings(
  options: { apiVersion?: string; batchSize?: number } = {},
): OpenAiEmbeddings {
  const bundle = createOpenAiClient({
    provider: 'azure',
    endpoint: server.url,
    apiVersion: options.apiVersion ?? '2024-10-21',
    deployment: 'embed-small',
    apiKey: 'azure-test-key',
    maxRetries: 0,
  });
  return new OpenAiEmbeddings({
    client: bundle.client,
    provider: 'azure',
    model: bundle.model,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
  });
}

function openAiEmbeddings(model = 'text-embedding-3-small'): OpenAiEmbeddings {
  const bundle = createOpenAiClient({
    provider: 'openai',
    model,
    apiKey: 'sk-test',
    baseURL: server.openAiBaseUrl,
    maxRetries: 0,
  });
  return new OpenAiEmbeddings({ client: bundle.client, provider: 'openai', model: bundle.model });
}

const cosine = (left: number[], right: number[]) =>
  left.reduce((sum, value, index) => sum + value * right[index]!, 0);

describe('OpenAiEmbeddings', () => {
  it('calls the Azure embeddings deployment with the key and returns unit vectors in input order', async () => {
    const embeddings = azureEmbeddings();

    const vectors = await embeddings.embed(['wireless headphones', 'wireless earbuds', 'oak sofa']);

    const [request] = server.embeddingRequests();
    expect(request!.path).toBe('/openai/deployments/embed-small/embeddings');
    expect(request!.query['api-version']).toBe('2024-10-21');
    expect(request!.credentials.apiKey).toBe(credentialFingerprint('azure-test-key'));
    expect(request!.body).toMatchObject({
      input: ['wireless headphones', 'wireless earbuds', 'oak sofa'],
      encoding_format: 'base64',
    });
    expect(vectors).toHaveLength(3);
    for (const vector of vectors) expect(Math.sqrt(cosine(vector, vector))).toBeCloseTo(1, 5);
    expect(cosine(vectors[0]!, vectors[1]!)).toBeGreaterThan(cosine(vectors[0]!, vectors[2]!));
  });

  it('names the deployment in the body on the Azure v1 API and the model on OpenAI', async () => {
    await azureEmbeddings({ apiVersion: 'v1' }).embed(['a kettle']);
    await openAiEmbeddings().embed(['a kettle']);

    const [azure, openai] = server.embeddingRequests();
    expect(azure!.path).toBe('/openai/v1/embeddings');
    expect(azure!.body).toMatchObject({ model: 'embed-small' });
    expect(openai!.path).toBe('/v1/embeddings');
    expect(openai!.body).toMatchObject({ model: 'text-embedding-3-small' });
  });

  it('sends texts in batches and keeps their order', async () => {
    const texts = ['one kettle', 'two kettles', 'three lamps', 'four lamps', 'five sofas'];
    const single = await azureEmbeddings().embed(texts);
    server.reset();

    const batched = await azureEmbeddings({ batchSize: 2 }).embed(texts);

    expect(
      server.embeddingRequests().map((request) => (request.body as { input: string[] }).input),
    ).toEqual([['one kettle', 'two kettles'], ['three lamps', 'four lamps'], ['five sofas']]);
    batched.forEach((vector, index) => {
      expect(vector.map((value) => value.toFixed(5))).toEqual(
        single[index]!.map((value) => value.toFixed(5)),
      );
    });
  });

  it('sends a blank text as a space, which the API accepts', async () => {
    await openAiEmbeddings().embed(['', 'lamp']);

    expect((server.embeddingRequests()[0]!.body as { input: string[] }).input).toEqual([
      ' ',
      'lamp',
    ]);
  });

  it('throws model_unavailable when the deployment does not exist', async () => {
    const bundle = createOpenAiClient({
      provider: 'openai',
      model: 'text-embedding-3-small',
      apiKey: 'sk-test',
      baseURL: `${server.url}/nowhere`,
      maxRetries: 0,
    });
    const embeddings = new OpenAiEmbeddings({
      client: bundle.client,
      provider: 'openai',
      model: bundle.model,
    });

    const failure = await embeddings.embed(['lamp']).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('model_unavailable');
  });
});
