import { MemoryStorage } from 'botbuilder';
import type { ChatMessage, Completion, ToolSchema } from '../../../../src/llm/chat-model';
import { DiceBearImageGenerator } from '../../../../src/llm/dicebear-image-generator';
import { OfflineChatModel } from '../../../../src/llm/offline/offline-chat-model';
import { SqliteImageStore } from '../../../../src/storage/sqlite-image-store';
import { createProfileAvatarTool } from '../../../../src/tools/profile/create-profile-avatar';
import { CustomerProfiles } from '../../../../src/tools/profile/customer-profiles';
import { ToolRegistry } from '../../../../src/tools/registry';
import { toolSchemas, withSystemPrompt } from './offline-test-kit';

/** The offline model asked for a profile picture: the same tool call a GPT model would make. */
let tools: ToolSchema[];
let withoutAvatars: ToolSchema[];

beforeAll(async () => {
  withoutAvatars = await toolSchemas('identifier_and_zip');
  const avatarTool = createProfileAvatarTool({
    images: new DiceBearImageGenerator(),
    store: new SqliteImageStore({ path: ':memory:' }),
    profiles: new CustomerProfiles(new MemoryStorage()),
    perDay: 3,
    imageUrl: (id) => `/avatars/${id}`,
  });
  tools = [...withoutAvatars, ...new ToolRegistry([avatarTool]).schemas()];
  await new OfflineChatModel().warmUp();
});

function complete(messages: ChatMessage[], offered = tools): Promise<Completion> {
  return new OfflineChatModel({ createCallId: () => 'call_1' }).complete({
    messages: withSystemPrompt(messages),
    tools: offered,
  });
}

function callsOf(completion: Completion): { name: string; arguments: unknown }[] {
  return completion.toolCalls.map((call) => ({
    name: call.name,
    arguments: JSON.parse(call.arguments) as unknown,
  }));
}

function withResult(
  messages: ChatMessage[],
  completion: Completion,
  output: unknown,
): ChatMessage[] {
  const call = completion.toolCalls[0]!;
  return [
    ...messages,
    { role: 'assistant', content: null, toolCalls: [call] },
    {
      role: 'tool',
      toolCallId: call.id,
      name: call.name,
      content: typeof output === 'string' ? output : JSON.stringify(output),
    },
  ];
}

describe('OfflineChatModel: avatars', () => {
  it('calls create_profile_avatar with what the customer described', async () => {
    const completion = await complete([
      { role: 'user', content: 'make me an avatar of a fox astronaut' },
    ]);

    expect(callsOf(completion)).toEqual([
      { name: 'create_profile_avatar', arguments: { description: 'a fox astronaut' } },
    ]);
  });

  it('asks what the avatar should show, then draws the answer', async () => {
    const history: ChatMessage[] = [{ role: 'user', content: 'can I get a new avatar?' }];

    const question = await complete(history);
    const drawn = await complete([
      ...history,
      { role: 'assistant', content: question.text },
      { role: 'user', content: 'a cat reading a book' },
    ]);

    expect(question.toolCalls).toEqual([]);
    expect(question.text).toMatch(/what should your avatar show/iu);
    expect(callsOf(drawn)).toEqual([
      { name: 'create_profile_avatar', arguments: { description: 'a cat reading a book' } },
    ]);
  });

  it('says the avatar is made and where it is kept, from the tool result', async () => {
    const history: ChatMessage[] = [
      { role: 'user', content: 'make me an avatar of a fox astronaut' },
    ];
    const call = await complete(history);

    const answer = await complete(
      withResult(history, call, {
        status: 'created',
        description: 'a fox astronaut',
        image_url: '/avatars/abc',
        image_type: 'image/svg+xml',
        saved_to: 'this_conversation',
        avatars_left_today: 0,
        note: 'The image model is not available, so this avatar comes from our avatar library.',
      }),
    );

    expect(answer.toolCalls).toEqual([]);
    expect(answer.text).toMatch(/avatar library/u);
    expect(answer.text).toMatch(/last new avatar for today/u);
  });

  it('words a refused description calmly', async () => {
    const history: ChatMessage[] = [
      { role: 'user', content: 'make me an avatar of something nasty' },
    ];
    const call = await complete(history);

    const answer = await complete(
      withResult(
        history,
        call,
        "Error: the image service's safety filter declined this description, so no avatar was made.",
      ),
    );

    expect(answer.text).toBe(
      "I'm sorry, I can't make an avatar from that description. Would you like to try a different one?",
    );
  });

  it('says it cannot make avatars where the tool is not offered', async () => {
    const completion = await complete(
      [{ role: 'user', content: 'make me an avatar of a fox astronaut' }],
      withoutAvatars,
    );

    expect(completion.toolCalls).toEqual([]);
    expect(completion.text).toMatch(/can't do that here/u);
  });
});
