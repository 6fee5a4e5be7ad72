import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConversationState, TestAdapter, UserState, type TurnContext } from 'botbuilder';
import { SqliteStorage } from '../../../src/storage/sqlite-storage';

interface Visits {
  count: number;
}

interface Profile {
  name?: string;
}

/**
 * A tiny bot that keeps a turn counter in conversation state and the user's name in user state, built fresh
 * over a given storage: what a restarted bot process does.
 */
function botOver(storage: SqliteStorage): TestAdapter {
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const visits = conversationState.createProperty<Visits>('visits');
  const profile = userState.createProperty<Profile>('profile');

  return new TestAdapter(async (context: TurnContext) => {
    const visit = await visits.get(context, { count: 0 });
    visit.count += 1;
    const person = await profile.get(context, {});
    const text = context.activity.text ?? '';
    if (text.startsWith('my name is ')) person.name = text.slice('my name is '.length);
    await context.sendActivity(`turn ${visit.count}, ${person.name ?? 'stranger'}`);
    await conversationState.saveChanges(context);
    await userState.saveChanges(context);
  });
}

let folder: string;
let file: string;

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'bot-state-'));
  file = path.join(folder, 'state.sqlite');
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('ConversationState and UserState over SqliteStorage', () => {
  it('continue where they were after the store is closed and a new bot opens it', async () => {
    const before = new SqliteStorage({ path: file });
    await botOver(before)
      .send('hello')
      .assertReply('turn 1, stranger')
      .send('my name is Ada')
      .assertReply('turn 2, Ada');
    await before.close();

    const after = new SqliteStorage({ path: file });
    await botOver(after).send('still there?').assertReply('turn 3, Ada');
    await after.close();
  });

  it('keep the state under botbuilder’s keys, one per conversation and one per user', async () => {
    const storage = new SqliteStorage({ path: file });
    await botOver(storage).send('my name is Grace').assertReply('turn 1, Grace');

    const items = await storage.read(['test/conversations/Convo1/', 'test/users/user1/']);
    await storage.close();

    expect(items['test/conversations/Convo1/']).toMatchObject({ visits: { count: 1 } });
    expect(items['test/users/user1/']).toMatchObject({ profile: { name: 'Grace' } });
  });

  it('keep separate counters for separate conversations', async () => {
    const storage = new SqliteStorage({ path: file });
    await botOver(storage)
      .send('one')
      .assertReply('turn 1, stranger')
      .send('two')
      .assertReply('turn 2, stranger');

    const otherConversation = botOver(storage);
    otherConversation.conversation = TestAdapter.createConversation('Convo2');
    await otherConversation.send('first here').assertReply('turn 1, stranger');
    await storage.close();
  });
});
