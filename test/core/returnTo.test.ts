import { describe, expect, it } from 'vitest';
import { requireSameOriginPath, toSameOriginPath } from '../../src/core/returnTo';

const origin = 'https://app.example';

describe('toSameOriginPath', () => {
  it.each([
    ['/dashboard', '/dashboard'],
    ['/a/b?x=1#top', '/a/b?x=1#top'],
    ['https://app.example/settings?tab=2', '/settings?tab=2'],
    ['dashboard', '/dashboard'],
  ])('keeps same-origin %s', (input, expected) => {
    expect(toSameOriginPath(input, origin)).toBe(expected);
  });

  it.each([
    'https://evil.example/',
    '//evil.example/path',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'java\tscript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'http://app.example/', // same host, other scheme = other origin
    'https://app.example.evil.example/',
    '',
    '   ',
  ])('refuses %j', (input) => {
    expect(toSameOriginPath(input, origin)).toBeUndefined();
  });

  it('throws a typed unsafe_return_to for app-supplied values', () => {
    expect(() => requireSameOriginPath('//evil.example', origin)).toThrowError(
      expect.objectContaining({ code: 'unsafe_return_to' }),
    );
  });
});
