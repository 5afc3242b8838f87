import { fuzzyQ, qValue } from './page';

/** A search text put into Harbor's `q` stays one value of one term, whatever it holds. */
describe('portal q values', () => {
  it('takes out commas, so a search cannot add a term of its own', () => {
    expect(qValue('web,public=true')).toBe('webpublic=true');
    expect(fuzzyQ('name', 'a,owner=~admin')).toBe('name=~aowner=~admin');
  });

  it('takes out quotes and a leading ~ or bracket, which the server would read as syntax', () => {
    expect(qValue('"web"')).toBe('web');
    expect(qValue("'web'")).toBe('web');
    expect(qValue('~create')).toBe('create');
    expect(qValue('[1~9]')).toBe('1~9]');
    expect(qValue('(a b)')).toBe('a b)');
    expect(qValue('{a b}')).toBe('a b}');
  });

  it('keeps the characters names really hold: slashes, dots, percent signs, equals inside', () => {
    expect(qValue(' team/app ')).toBe('team/app');
    expect(qValue('../x%2F')).toBe('../x%2F');
    expect(fuzzyQ('username', 'a=b')).toBe('username=~a=b');
  });

  it('gives undefined when nothing searchable is left', () => {
    expect(qValue(undefined)).toBeUndefined();
    expect(qValue('  ')).toBeUndefined();
    expect(qValue(',"~')).toBeUndefined();
    expect(fuzzyQ('name', ',,')).toBeUndefined();
  });
});
