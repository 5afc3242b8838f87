import { messageText } from './message-text';

describe('message text', () => {
  it('is the plain message when there is no metadata', () => {
    expect(messageText({ level: 'info', message: 'hello', service: 'core', timestamp: 'x' })).toBe('hello');
  });

  it('adds metadata as compact JSON on the same line', () => {
    expect(messageText({ level: 'info', message: 'done', service: 'core', requestId: 'r1', status: 200 })).toBe('done {"requestId":"r1","status":200}');
  });

  it('survives circular metadata, bigints and non-string messages', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(messageText({ message: 'x', circular })).toBe('x "[unserialisable]"');
    expect(messageText({ message: 'n', big: 10n })).toBe('n {"big":"10"}');
    expect(messageText({ message: { a: 1 } })).toBe('{"a":1}');
  });
});
