import type { Translate } from '../i18n/i18n';
import { errorText, serverWords } from './error-text';
import { ApiError } from './http';

function translator(language: 'en-US' | 'zh-CN'): Translate {
  const t: Translate = (key, vars) => `${key}${vars?.status === undefined ? '' : ` ${vars.status}`}`;
  t.language = language;
  return t;
}

describe('errors in words', () => {
  const conflict = new ApiError(409, 'CONFLICT', 'the project named web already exists');

  it("shows the server's own words on an English screen", () => {
    expect(errorText(conflict, translator('en-US'))).toBe('the project named web already exists');
  });

  it('shows a Chinese sentence for the kind of refusal on a Chinese screen, never the English words', () => {
    expect(errorText(conflict, translator('zh-CN'))).toBe('error.status.409');
    expect(errorText(new ApiError(403, 'FORBIDDEN', 'forbidden: repository:delete'), translator('zh-CN'))).toBe('error.status.403');
    expect(errorText(new ApiError(503, 'UNKNOWN', 'upstream down'), translator('zh-CN'))).toBe('error.status.5xx 503');
  });

  it('keeps server words with no English in them (a name, a number) on a Chinese screen', () => {
    expect(errorText(new ApiError(400, 'BAD_REQUEST', '12'), translator('zh-CN'))).toBe('12');
  });

  it('gives server words that are not an error (a refusal reason) only where they can be read', () => {
    expect(serverWords('the project still holds 2 repositories', translator('en-US'))).toBe('the project still holds 2 repositories');
    expect(serverWords('the project still holds 2 repositories', translator('zh-CN'))).toBeUndefined();
    expect(serverWords('12', translator('zh-CN'))).toBe('12');
    expect(serverWords(undefined, translator('en-US'))).toBeUndefined();
  });

  it('says the network failed, or the status, when there are no words', () => {
    expect(errorText(new ApiError(0, 'NETWORK', ''), translator('en-US'))).toBe('error.network');
    expect(errorText(new ApiError(418, 'UNKNOWN', ''), translator('en-US'))).toBe('error.unexpected 418');
    expect(errorText(new Error('boom'), translator('en-US'))).toBe('error.unexpected ?');
  });
});
