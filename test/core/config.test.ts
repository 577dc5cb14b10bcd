import { describe, expect, it } from 'vitest';
import { COZE_CN_BASE_URL, deriveWebBaseURL, resolveCozeConfig } from '../../src/core/config';
import { CozeAuthError } from '../../src/core/errors';

const base = { clientId: 'client-1', redirectUri: 'https://app.example/callback' };

describe('resolveCozeConfig', () => {
  it('defaults to coze.com and derives the www host for the authorize page', () => {
    const config = resolveCozeConfig(base);
    expect(config.baseURL).toBe('https://api.coze.com');
    expect(config.authorizeEndpoint).toBe('https://www.coze.com/api/permission/oauth2/authorize');
    expect(config.tokenEndpoint).toBe('https://api.coze.com/api/permission/oauth2/token');
    expect(config.codeChallengeMethod).toBe('S256');
    expect(config.refreshSkewSeconds).toBe(60);
  });

  it('uses the workspace-scoped authorize path', () => {
    const config = resolveCozeConfig({ ...base, baseURL: COZE_CN_BASE_URL, workspaceId: '7460' });
    expect(config.authorizeEndpoint).toBe('https://www.coze.cn/api/permission/oauth2/workspace_id/7460/authorize');
    expect(config.tokenEndpoint).toBe('https://api.coze.cn/api/permission/oauth2/token');
  });

  it('honours an explicit web host (private deployments, local servers)', () => {
    const config = resolveCozeConfig({ ...base, baseURL: 'http://127.0.0.1:4010/', webBaseURL: 'http://127.0.0.1:4011' });
    expect(config.tokenEndpoint).toBe('http://127.0.0.1:4010/api/permission/oauth2/token');
    expect(config.authorizeEndpoint).toBe('http://127.0.0.1:4011/api/permission/oauth2/authorize');
  });

  it('keeps a host without an api. label as its own web host', () => {
    expect(deriveWebBaseURL('http://localhost:4010')).toBe('http://localhost:4010');
  });

  it.each([
    [{ ...base, clientId: '' }, 'clientId'],
    [{ ...base, redirectUri: '/callback' }, 'redirectUri'],
    [{ ...base, baseURL: 'ftp://api.coze.com' }, 'baseURL'],
    [{ ...base, codeChallengeMethod: 'S512' as never }, 'codeChallengeMethod'],
    [{ ...base, refreshSkewSeconds: -1 }, 'refreshSkewSeconds'],
  ])('rejects bad options with invalid_config (%#)', (options, mention) => {
    let error: unknown;
    try {
      resolveCozeConfig(options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CozeAuthError);
    expect((error as CozeAuthError).code).toBe('invalid_config');
    expect((error as CozeAuthError).message).toContain(mention);
  });
});
