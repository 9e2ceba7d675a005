import { SignJWT } from 'jose';
import { Authenticator } from '../src';

const SECRET = 'k'.repeat(40);
const auth = new Authenticator({ secret: SECRET, issuer: 'rcsc', audience: 'rcsc-graph' }, 0);
const now = () => Math.floor(Date.now() / 1000);

/** A token signed with the right key, with exactly the time claims given. */
function craft(times: { iat?: number; exp?: number; nbf?: number }): Promise<string> {
  let jwt = new SignJWT({ roles: ['ADMIN'], org: null })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('u')
    .setIssuer('rcsc')
    .setAudience('rcsc-graph');
  if (times.iat !== undefined) jwt = jwt.setIssuedAt(times.iat);
  if (times.exp !== undefined) jwt = jwt.setExpirationTime(times.exp);
  if (times.nbf !== undefined) jwt = jwt.setNotBefore(times.nbf);
  return jwt.sign(new TextEncoder().encode(SECRET));
}

async function outcome(token: string): Promise<string> {
  try {
    const { viewer } = await auth.authenticate({ authorization: `Bearer ${token}` });
    return `ok:${viewer.userId}`;
  } catch (e) {
    return `${(e as { extensions?: { code?: string } }).extensions?.code}: ${(e as Error).message}`;
  }
}

describe('token rules (issue 17)', () => {
  it('refuses a token without exp', async () => {
    expect(await outcome(await craft({ iat: now() }))).toBe('UNAUTHENTICATED: The bearer token is invalid');
    expect(await outcome(await craft({}))).toBe('UNAUTHENTICATED: The bearer token is invalid');
  });

  it('refuses a token living longer than the bound (24 h by default), with or without iat', async () => {
    expect(await outcome(await craft({ iat: now(), exp: now() + 48 * 3600 }))).toMatch(/^UNAUTHENTICATED: .*longer than the 86400 s/);
    expect(await outcome(await craft({ exp: now() + 25 * 3600 }))).toMatch(/^UNAUTHENTICATED: .*longer than/);
    // Issued long ago, expiring soon: still a token of a 10-day lifetime.
    expect(await outcome(await craft({ iat: now() - 10 * 86400, exp: now() + 3600 }))).toMatch(/longer than/);
    expect(await outcome(await craft({ iat: now(), exp: now() + 24 * 3600 }))).toBe('ok:u');
    expect(await outcome(await craft({ exp: now() + 3600 }))).toBe('ok:u');
  });

  it('refuses iat in the future beyond the clock skew (60 s by default)', async () => {
    expect(await outcome(await craft({ iat: now() + 600, exp: now() + 3600 }))).toBe(
      'UNAUTHENTICATED: The bearer token is invalid: issued in the future',
    );
    expect(await outcome(await craft({ iat: now() + 30, exp: now() + 3600 }))).toBe('ok:u');
  });

  it('still refuses expired and not-yet-valid tokens, with no grace after exp', async () => {
    expect(await outcome(await craft({ iat: now() - 60, exp: now() - 1 }))).toBe('UNAUTHENTICATED: The bearer token is expired');
    expect(await outcome(await craft({ iat: now(), exp: now() + 3600, nbf: now() + 600 }))).toMatch(/^UNAUTHENTICATED/);
  });

  it('takes the bounds from the environment, and will not sign a token it would refuse', async () => {
    const strict = Authenticator.fromEnv({ AUTH_JWT_SECRET: SECRET, AUTH_MAX_TOKEN_LIFETIME_S: '3600', AUTH_CLOCK_SKEW_S: '5' });
    await expect(strict.sign({ sub: 'u', roles: ['VIEWER'] }, '2h')).rejects.toThrow(/at most 3600 s/);
    await expect(auth.sign({ sub: 'u', roles: ['VIEWER'] }, '25h')).rejects.toThrow(/at most 86400 s/);
    const ok = await strict.sign({ sub: 'u', roles: ['VIEWER'] }, '30m');
    expect((await strict.viewer({ authorization: `Bearer ${ok}` })).userId).toBe('u');
    await expect(strict.viewer({ authorization: `Bearer ${await craft({ iat: now() + 30, exp: now() + 600 })}` })).rejects.toThrow(
      /future/,
    );
    expect(() => Authenticator.fromEnv({ AUTH_JWT_SECRET: SECRET, AUTH_MAX_TOKEN_LIFETIME_S: 'a day' })).toThrow(
      /AUTH_MAX_TOKEN_LIFETIME_S/,
    );
  });
});
