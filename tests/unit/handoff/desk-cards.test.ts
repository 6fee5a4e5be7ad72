import { deskCard, readDeskAction } from '../../../src/handoff/desk-cards';
import type { HandoffCase } from '../../../src/handoff/handoff-case';
import { orderIdsIn } from '../../../src/handoff/handoff-case';

function aCase(fields: Partial<HandoffCase> = {}): HandoffCase {
  return {
    id: 'case-1',
    status: 'queued',
    reason: 'requested',
    summary: 'Wants a refund for #W4821001',
    recentMessages: [
      {
        from: 'customer',
        name: 'Olivia',
        text: 'Click [here](https://evil.example) **now**',
        at: '2026-11-24T10:00:00.000Z',
      },
    ],
    orderIds: ['#W4821001'],
    customer: {
      displayName: 'Olivia',
      verified: { customerId: 'olivia_1', name: 'Olivia Bennett', email: 'olivia@example.com' },
    },
    channelId: 'directline',
    customerReference: {},
    requestedAt: '2026-11-24T10:00:00.000Z',
    thread: null,
    acceptedBy: null,
    acceptedAt: null,
    closedBy: null,
    closedAt: null,
    outcome: null,
    transcript: [],
    ...fields,
  };
}

type Card = {
  body: { type: string; text?: string; facts?: { title: string; value: string }[] }[];
  actions?: { verb: string; fallback: { type: string } }[];
};

describe('the desk card', () => {
  it('offers Accept and Close while the case waits, with an Action.Submit fallback', () => {
    const card = deskCard(aCase(), { queuePosition: 2 }).content as Card;

    expect(card.actions?.map((action) => action.verb)).toEqual(['handoff.accept', 'handoff.close']);
    expect(card.actions?.every((action) => action.fallback.type === 'Action.Submit')).toBe(true);
    expect(card.body[0]!.text).toMatch(/number 2 in the queue/);
    const facts = card.body.find((block) => block.type === 'FactSet')!.facts!;
    expect(facts).toEqual(
      expect.arrayContaining([
        { title: 'Customer', value: 'Olivia Bennett (olivia@example.com)' },
        { title: 'Channel', value: 'Web chat' },
        { title: 'Orders', value: '#W4821001' },
      ]),
    );
  });

  it('shows who took it and only Close once taken, and no buttons once closed', () => {
    const taken = deskCard(
      aCase({
        status: 'active',
        acceptedBy: { id: 'a', name: 'Dana' },
        acceptedAt: '2026-11-24T10:05:00.000Z',
      }),
    ).content as Card;
    const closed = deskCard(
      aCase({
        status: 'closed',
        closedBy: { id: 'a', name: 'Dana' },
        closedAt: '2026-11-24T10:09:00.000Z',
      }),
    ).content as Card;

    expect(taken.body[0]!.text).toBe('Taken by Dana at 2026-11-24 10:05 UTC');
    expect(taken.actions?.map((action) => action.verb)).toEqual(['handoff.close']);
    expect(closed.body[0]!.text).toBe('Closed by Dana at 2026-11-24 10:09 UTC');
    expect(closed.actions).toBeUndefined();
  });

  it('shows customer text as text: markdown in it cannot make links or styles', () => {
    const card = JSON.stringify(deskCard(aCase()).content);

    expect(card).toContain('Click \\\\[here\\\\](https://evil.example) \\\\*\\\\*now\\\\*\\\\*');
  });

  it('warns the agent when the customer is not verified', () => {
    const card = deskCard(aCase({ customer: { displayName: 'User', verified: null } }))
      .content as Card;
    const facts = card.body.find((block) => block.type === 'FactSet')!.facts!;

    expect(facts).toEqual(expect.arrayContaining([{ title: 'Customer', value: 'User' }]));
    expect(facts.find((fact) => fact.title === 'Verified')!.value).toMatch(/^No/);
  });
});

describe('readDeskAction', () => {
  it('reads Action.Execute verbs and Action.Submit data, and nothing else', () => {
    expect(readDeskAction('handoff.accept', { caseId: 'c-1' })).toEqual({
      handoffAction: 'accept',
      caseId: 'c-1',
    });
    expect(readDeskAction(undefined, { handoffAction: 'close', caseId: 'c-1' })).toEqual({
      handoffAction: 'close',
      caseId: 'c-1',
    });
    expect(readDeskAction('handoff.delete', { caseId: 'c-1' })).toBeNull();
    expect(readDeskAction('handoff.accept', { caseId: '../../etc' })).toBeNull();
    expect(readDeskAction('handoff.accept', null)).toBeNull();
  });
});

describe('orderIdsIn', () => {
  it('finds distinct order ids in order of first mention', () => {
    expect(
      orderIdsIn(['#W4821001 and #W7314001', 'again #W4821001', 'W1234567 is not one']),
    ).toEqual(['#W4821001', '#W7314001']);
  });
});
