import { describe, expect, it } from 'vitest';
import { parseCallbackUrl } from '../../src/core/protocol/authorizationResponse';
import { hasAuthorizationResponse, stripCallbackParams } from '../../src/core/protocol/callbackUrl';

describe('parseCallbackUrl', () => {
  it('reads code and state', () => {
    expect(parseCallbackUrl('https://app.example/cb?code=abc&state=s1')).toEqual({
      state: 's1',
      code: 'abc',
      error: undefined,
      errorDescription: undefined,
    });
  });

  it('reads an OAuth error redirect', () => {
    const params = parseCallbackUrl('https://app.example/cb?error=access_denied&error_description=User+cancelled&state=s1');
    expect(params.error).toBe('access_denied');
    expect(params.errorDescription).toBe('User cancelled');
  });

  it.each([
    ['not a url', 'could not be parsed'],
    ['https://app.example/cb', 'no authorization response'],
    ['https://app.example/cb?code=abc', 'no state'],
    ['https://app.example/cb?state=s1', 'no code'],
    ['https://app.example/cb?code=&state=s1', 'no code'],
  ])('rejects %s with invalid_callback_url', (url, message) => {
    expect(() => parseCallbackUrl(url)).toThrowError(expect.objectContaining({ code: 'invalid_callback_url' }));
    expect(() => parseCallbackUrl(url)).toThrowError(message);
  });

  it('never puts the code into the error message', () => {
    try {
      parseCallbackUrl('https://app.example/cb?code=SECRET-CODE');
    } catch (error) {
      expect(String(error)).not.toContain('SECRET-CODE');
    }
  });
});

describe('stripCallbackParams', () => {
  it('removes the authorization response and keeps everything else', () => {
    expect(stripCallbackParams('https://app.example/cb?tab=1&code=abc&state=s1#frag')).toBe('https://app.example/cb?tab=1#frag');
    expect(stripCallbackParams('https://app.example/cb?error=x&error_description=y&error_uri=z&state=s')).toBe(
      'https://app.example/cb',
    );
  });

  it('detects callback URLs', () => {
    expect(hasAuthorizationResponse('https://app.example/cb?code=a&state=b')).toBe(true);
    expect(hasAuthorizationResponse('https://app.example/cb?error=a&state=b')).toBe(true);
    expect(hasAuthorizationResponse('https://app.example/cb?code=a')).toBe(false);
    expect(hasAuthorizationResponse('nope')).toBe(false);
  });
});
