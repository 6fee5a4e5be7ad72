import { CardFactory, type Activity } from 'botbuilder';
import { withAssistantAvatar } from '../../../src/channels/card-avatar';
import type { ChannelKind } from '../../../src/channels/channel-kind';
import { createLivestreamSender } from '../../../src/channels/livestream-sender';
import { adaptiveConfirmationCard } from '../../../src/channels/confirmation-card';
import { createReplySender } from '../../../src/channels/reply-sender';
import type { ReplyPart } from '../../../src/conversation/reply-parts';

const AVATAR: ReplyPart = {
  type: 'image',
  url: '/avatars/AbCdEfGhIjKlMnOpQrStUv',
  contentType: 'image/png',
  alt: 'Your avatar: a fox astronaut',
  purpose: 'profile-avatar',
};

async function render(
  kind: ChannelKind,
  part: ReplyPart,
  publicBaseUrl: string | null = null,
): Promise<Partial<Activity>[]> {
  const sent: Partial<Activity>[] = [];
  const sink = createReplySender({
    kind,
    send: (activity) => {
      sent.push(activity);
      return Promise.resolve({ id: `act-${sent.length}` });
    },
    publicBaseUrl,
  });
  await sink(part);
  return sent;
}

describe('image reply parts', () => {
  it('sends Web Chat the image at its path, then the event that makes it the customer’s avatar', async () => {
    const sent = await render('webchat', AVATAR);

    expect(sent).toEqual([
      {
        type: 'message',
        attachments: [
          {
            contentType: 'image/png',
            contentUrl: '/avatars/AbCdEfGhIjKlMnOpQrStUv',
            name: 'Your avatar: a fox astronaut',
          },
        ],
      },
      { type: 'event', name: 'profile.avatar', value: { url: '/avatars/AbCdEfGhIjKlMnOpQrStUv' } },
    ]);
  });

  it('sends Teams the image at its public address when one is configured', async () => {
    const sent = await render('teams', AVATAR, 'https://bot.contoso.com');

    expect(sent).toHaveLength(1);
    expect(sent[0]!.attachments?.[0]?.contentUrl).toBe(
      'https://bot.contoso.com/avatars/AbCdEfGhIjKlMnOpQrStUv',
    );
  });

  it('sends Teams no image it could not load: without a public address, or an SVG', async () => {
    expect(await render('teams', AVATAR)).toEqual([]);
    expect(
      await render('teams', { ...AVATAR, contentType: 'image/svg+xml' }, 'https://bot.contoso.com'),
    ).toEqual([]);
  });

  it('sends a phone call no image', async () => {
    expect(await render('voice', AVATAR, 'https://bot.contoso.com')).toEqual([]);
  });

  it('shows a picture under the streamed answer that follows it', async () => {
    const fallback: ReplyPart[] = [];
    const sender = createLivestreamSender({
      send: () => Promise.resolve({ id: 'x' }),
      fallback: (part) => {
        fallback.push(part);
      },
      minIntervalMs: 0,
    });

    await sender.sink(AVATAR);
    await sender.sink({ type: 'message', text: "Here's your new avatar!" });
    await sender.finish();

    expect(fallback.map((part) => part.type)).toEqual(['message', 'image']);
  });

  it('still shows a picture whose answer never came', async () => {
    const fallback: ReplyPart[] = [];
    const sender = createLivestreamSender({
      send: () => Promise.resolve({ id: 'x' }),
      fallback: (part) => {
        fallback.push(part);
      },
      minIntervalMs: 0,
    });

    await sender.sink(AVATAR);
    await sender.finish();

    expect(fallback).toEqual([AVATAR]);
  });
});

describe('withAssistantAvatar', () => {
  it("puts the avatar beside the first element of an Adaptive Card's body", () => {
    const card = adaptiveConfirmationCard('confirmation-1', {
      title: 'Cancel order #W1234567',
      details: ['Reason: no longer needed'],
    });

    const decorated = withAssistantAvatar(
      { type: 'message', attachments: [card] },
      'https://bot.contoso.com/avatars/assistant',
      'Ava',
    );

    const body = (decorated.attachments?.[0]?.content as { body: unknown[] }).body;
    expect(body[0]).toMatchSnapshot();
    expect(body.slice(1)).toEqual((card.content as { body: unknown[] }).body.slice(1));
    expect((card.content as { body: unknown[] }).body[0]).toMatchObject({ type: 'TextBlock' });
  });

  it('leaves hero cards and activities without attachments as they are', () => {
    const hero = { type: 'message', attachments: [CardFactory.heroCard('Title')] };
    const plain = { type: 'message', text: 'Hi' };

    expect(withAssistantAvatar(hero, 'https://x/a', 'Ava')).toBe(hero);
    expect(withAssistantAvatar(plain, 'https://x/a', 'Ava')).toBe(plain);
  });
});
