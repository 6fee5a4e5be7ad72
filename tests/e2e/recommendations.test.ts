import type { Activity } from 'botbuilder';
import { SAMPLE_CUSTOMERS, type SampleCustomer } from '../../src/commerce/sample-data';
import { RECOMMENDATION_MESSAGES } from '../../src/conversation/recommendation-advisor';
import { LexicalEmbeddings } from '../../src/llm/lexical-embeddings';
import { ConnectorRecorder } from '../helpers/connector-recorder';
import {
  startFakeOpenAiServer,
  textReply,
  toolCallReply,
  type FakeOpenAiServer,
} from '../helpers/fake-openai-server';
import {
  confirmationButtons,
  startTestAssistant,
  TestCustomer,
  textOf,
  type TestAssistant,
} from '../helpers/test-assistant';

/**
 * Product suggestions through the real server: offered once at the close of a happy conversation, never to an
 * unhappy customer, and never again once declined, offline and with a GPT model (a local server that speaks
 * Azure OpenAI's wire format) judging the close.
 */

function customer(id: string): SampleCustomer {
  const found = SAMPLE_CUSTOMERS.find((candidate) => candidate.customerId === id);
  if (found === undefined) throw new Error(`no sample customer ${id}`);
  return found;
}

const sofia = customer('sofia_alvarez_2290');
const daniel = customer('daniel_kim_5567');
const liam = customer('liam_walsh_3376');
const grace = customer('grace_okafor_8802');

interface OfferCard {
  products: string[];
  declineValue: unknown;
}

/** The product offers among a turn's messages: the cards with a "No thanks" that posts a `productOffer`. */
function offersIn(activities: Partial<Activity>[]): OfferCard[] {
  const offers: OfferCard[] = [];
  for (const activity of activities) {
    for (const attachment of activity.attachments ?? []) {
      if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive') continue;
      const card = attachment.content as {
        body?: { items?: { columns?: { items?: { text?: string }[] }[] }[] }[];
        actions?: { title?: string; data?: { productOffer?: unknown } }[];
      };
      const decline = card.actions?.find((action) => action.data?.productOffer !== undefined);
      if (decline === undefined) continue;
      offers.push({
        products: (card.body ?? []).map(
          (container) => container.items?.[0]?.columns?.[0]?.items?.[0]?.text ?? '',
        ),
        declineValue: decline.data,
      });
    }
  }
  return offers;
}

const verification = (who: SampleCustomer) =>
  `my email is ${who.email} and my zip code is ${who.zip}`;

describe('product suggestions with the offline assistant', () => {
  let recorder: ConnectorRecorder;
  let assistant: TestAssistant;

  beforeAll(async () => {
    recorder = await ConnectorRecorder.start();
    assistant = await startTestAssistant();
  });

  afterAll(async () => {
    await assistant?.dispose();
    await recorder?.close();
  });

  const chat = (conversationId: string) =>
    new TestCustomer({ botUrl: assistant.url, recorder, conversationId });

  it('offers products exactly once at the close of a resolved, happy conversation', async () => {
    const sofiaChat = chat('recommend-happy-1');
    await sofiaChat.say('hi');
    await sofiaChat.say(verification(sofia));
    const status = await sofiaChat.say('what is the status of order #W2290001?');

    const closing = await sofiaChat.say("great, thanks, that's all");
    const goodbye = await sofiaChat.say('thank you, bye');

    expect(offersIn(status)).toEqual([]);
    const [offer, ...more] = offersIn(closing);
    expect(more).toEqual([]);
    expect(offer!.products.length).toBeGreaterThanOrEqual(1);
    expect(offer!.products.length).toBeLessThanOrEqual(3);
    expect(offer!.products).not.toContain('Running Shoes');
    expect(offer!.products).not.toContain('Bluetooth Speaker');
    expect(offersIn(goodbye)).toEqual([]);
  });

  it('never offers products after a complaint', async () => {
    const danielChat = chat('recommend-complaint-1');
    await danielChat.say(verification(daniel));
    await danielChat.say('the blender from order #W5567001 arrived broken, this is unacceptable');

    const closing = await danielChat.say('ok thanks, bye');

    expect(offersIn(closing)).toEqual([]);
  });

  it('never offers products after a return', async () => {
    const sofiaChat = chat('recommend-return-1');
    await sofiaChat.say(verification(sofia));
    const asked = await sofiaChat.say('I want to return the running shoes from order #W2290001');
    const [yes] = confirmationButtons(asked);
    const done = await sofiaChat.press(yes!);

    const closing = await sofiaChat.say("thanks, that's all");

    expect(textOf(done)).toMatch(/return/i);
    expect(offersIn(closing)).toEqual([]);
  });

  it('never offers products to a customer who used angry words', async () => {
    const liamChat = chat('recommend-angry-1');
    await liamChat.say(verification(liam));
    await liamChat.say('where is my order #W3376001?? this is ridiculous, worst service ever');

    const closing = await liamChat.say('thanks, bye');

    expect(offersIn(closing)).toEqual([]);
  });

  it('remembers a "No thanks" press in the customer\'s next conversation', async () => {
    const first = chat('recommend-declined-1');
    await first.say(verification(liam));
    await first.say('what is the status of order #W3376002?');
    const [offer] = offersIn(await first.say('perfect, thank you'));

    const declined = await first.press({ value: offer!.declineValue });
    const second = chat('recommend-declined-2');
    await second.say(verification(liam));
    await second.say('what is the status of order #W3376002?');
    const closing = await second.say('perfect, thank you');

    expect(textOf(declined)).toBe(RECOMMENDATION_MESSAGES.declined);
    expect(offersIn(closing)).toEqual([]);
  });

  it('takes a written "no thanks" right after the offer as a decline, remembered next time', async () => {
    const first = chat('recommend-declined-words-1');
    await first.say(verification(daniel));
    await first.say('what is the status of order #W5567001?');
    const offers = offersIn(await first.say('great, thanks'));

    const declined = await first.say('no thanks');
    const second = chat('recommend-declined-words-2');
    await second.say(verification(daniel));
    await second.say('what is the status of order #W5567001?');
    const closing = await second.say('great, thanks');

    expect(offers).toHaveLength(1);
    expect(textOf(declined)).toBe(RECOMMENDATION_MESSAGES.declined);
    expect(offersIn(closing)).toEqual([]);
  });
});

describe('product suggestions with Azure OpenAI judging the close', () => {
  const DEPLOYMENT = 'care-gpt-5-mini';
  const EMBEDDING_DEPLOYMENT = 'care-embeddings';
  const lexical = new LexicalEmbeddings();
  let model: FakeOpenAiServer;
  let recorder: ConnectorRecorder;
  let assistant: TestAssistant;
  let env: Record<string, string>;

  beforeAll(async () => {
    // Vectors in the real wire format, with the lexical scheme's geometry, so similar products are similar.
    model = await startFakeOpenAiServer({ embed: (input) => lexical.vectorOf(input) });
    recorder = await ConnectorRecorder.start();
    env = {
      AZURE_OPENAI_ENDPOINT: model.url,
      AZURE_OPENAI_API_KEY: 'test-azure-key',
      AZURE_OPENAI_CHAT_DEPLOYMENT: DEPLOYMENT,
      AZURE_OPENAI_EMBEDDING_DEPLOYMENT: EMBEDDING_DEPLOYMENT,
      LLM_FALLBACK_TO_OFFLINE: 'false',
      // The lexicon judges the mood, so the only chat requests are the turns' and the close's judgement.
      MOOD_JUDGE: 'lexicon',
    };
    assistant = await startTestAssistant(env);
  });

  afterAll(async () => {
    await assistant?.dispose();
    await recorder?.close();
    await model?.close();
  });

  /** A verified customer asks about an order and says thanks; `verdict` is the judge's answer at the close. */
  async function happyConversation(
    conversationId: string,
    who: SampleCustomer,
    verdict: { resolved: boolean; satisfied: boolean; complaint: boolean },
  ): Promise<Partial<Activity>[]> {
    const orderId = who.orderIds[0]!;
    const customerChat = new TestCustomer({ botUrl: assistant.url, recorder, conversationId });
    model.script(
      toolCallReply([
        {
          name: 'find_user_id_by_email',
          arguments: JSON.stringify({ email: who.email, zip: who.zip }),
        },
      ]),
      textReply("Thanks, you're verified."),
      toolCallReply([
        { name: 'get_order_details', arguments: JSON.stringify({ order_id: orderId }) },
      ]),
      textReply(`Order ${orderId} has been delivered.`),
      textReply("You're welcome, glad I could help!"),
      textReply(JSON.stringify(verdict)),
    );
    await customerChat.say(`Hi, I'm ${who.email}, zip ${who.zip}`);
    await customerChat.say(`What is the status of order ${orderId}?`);
    const closing = await customerChat.say("Great, thanks, that's all");
    expect(model.pendingReplies).toBe(0);
    return closing;
  }

  it('asks the model for a strict structured verdict and makes no offer when it says not satisfied', async () => {
    const closing = await happyConversation('gpt-unsatisfied-1', sofia, {
      resolved: true,
      satisfied: false,
      complaint: false,
    });

    const judgement = model.chatRequests().at(-1)!;
    expect(judgement.path).toBe(`/openai/deployments/${DEPLOYMENT}/chat/completions`);
    expect(judgement.body).toMatchObject({
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'conversation_verdict',
          strict: true,
          schema: {
            type: 'object',
            required: ['resolved', 'satisfied', 'complaint'],
            additionalProperties: false,
          },
        },
      },
    });
    const transcript = (judgement.body as { messages: { content: string }[] }).messages.at(-1)!;
    expect(transcript.content).toContain("Customer: Great, thanks, that's all");
    expect(offersIn(closing)).toEqual([]);
    expect(model.embeddingRequests()).toEqual([]);
  });

  it('offers once when the model judges the close happy, computing product vectors once across conversations and restarts', async () => {
    const first = await happyConversation('gpt-happy-1', sofia, {
      resolved: true,
      satisfied: true,
      complaint: false,
    });
    const second = await happyConversation('gpt-happy-2', grace, {
      resolved: true,
      satisfied: true,
      complaint: false,
    });
    await assistant.stop();
    assistant = await startTestAssistant(env, { dataDir: assistant.dataDir });
    const afterRestart = await happyConversation('gpt-happy-3', daniel, {
      resolved: true,
      satisfied: true,
      complaint: false,
    });

    expect(offersIn(first)).toHaveLength(1);
    expect(offersIn(second)).toHaveLength(1);
    expect(offersIn(afterRestart)).toHaveLength(1);
    const embeddings = model.embeddingRequests();
    expect(embeddings).toHaveLength(1);
    expect(embeddings[0]!.path).toBe(`/openai/deployments/${EMBEDDING_DEPLOYMENT}/embeddings`);
  });
});
