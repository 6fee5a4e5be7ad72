import { DirectLineTokens } from '../../../src/directline/directline-tokens';

describe('DirectLineTokens', () => {
  it('grants one user one conversation until the token expires', () => {
    let now = Date.parse('2026-11-24T10:00:00Z');
    const tokens = new DirectLineTokens({ now: () => now });
    const { token, expiresIn } = tokens.issue({ conversationId: 'c-1', userId: 'dl_u' });

    expect(expiresIn).toBe(1800);
    expect(tokens.check(token)).toEqual({
      ok: true,
      grant: { conversationId: 'c-1', userId: 'dl_u' },
    });
    now += 1799 * 1000;
    expect(tokens.check(token).ok).toBe(true);
    now += 2 * 1000;
    expect(tokens.check(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses tokens signed with another key, altered, or not tokens at all', () => {
    const mine = new DirectLineTokens();
    const theirs = new DirectLineTokens();
    const { token } = theirs.issue({ conversationId: 'c-1', userId: 'dl_u' });
    const [header, , signature] = mine
      .issue({ conversationId: 'c-2', userId: 'dl_v' })
      .token.split('.');
    const payload = Buffer.from(
      JSON.stringify({ conv: 'c-1', user: 'dl_u', exp: 9_999_999_999 }),
    ).toString('base64url');

    expect(mine.check(token)).toEqual({ ok: false, reason: 'invalid' });
    expect(mine.check(`${header}.${payload}.${signature}`)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(mine.check('not-a-token')).toEqual({ ok: false, reason: 'invalid' });
    expect(mine.check('')).toEqual({ ok: false, reason: 'invalid' });
  });
});
