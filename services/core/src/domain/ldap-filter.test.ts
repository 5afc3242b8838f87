import { parseFilter } from 'ldapjs';
import { equalityFilter, escapeFilterValue, normalizeDn, substringFilter, wrapFilter } from './ldap-filter';

describe('escapeFilterValue', () => {
  it.each([
    ['alice', 'alice'],
    ['*', '\\2a'],
    ['*)(uid=*', '\\2a\\29\\28uid=\\2a'],
    ['a\\b', 'a\\5cb'],
    ['nul\0byte', 'nul\\00byte'],
    ['(x)', '\\28x\\29'],
    ['jürgen', 'jürgen'],
  ])('escapes %j as %j', (input, expected) => {
    expect(escapeFilterValue(input)).toBe(expected);
  });

  it('keeps every hostile name a single equality assertion when parsed', () => {
    for (const name of ['*', '*)(uid=*', ')(|(uid=*', 'a\\', '\0', 'x)(&)']) {
      const parsed = parseFilter(equalityFilter('', 'uid', name));
      expect(parsed.type).toBe('equal');
      expect(String((parsed as unknown as { value: unknown }).value)).toBe(name);
    }
  });
});

describe('filters', () => {
  it('wraps a bare configured filter in parentheses and leaves a wrapped one alone', () => {
    expect(wrapFilter('objectClass=person')).toBe('(objectClass=person)');
    expect(wrapFilter(' (objectClass=person) ')).toBe('(objectClass=person)');
    expect(wrapFilter('')).toBe('');
  });

  it('ands the configured filter with the escaped equality', () => {
    expect(equalityFilter('(objectClass=inetOrgPerson)', 'uid', 'a*')).toBe('(&(objectClass=inetOrgPerson)(uid=a\\2a))');
    expect(equalityFilter('', 'uid', 'bob')).toBe('(uid=bob)');
  });

  it('searches substrings with the typed text escaped, and everything for empty text', () => {
    expect(substringFilter('', 'cn', 'de*v')).toBe('(cn=*de\\2av*)');
    expect(substringFilter('objectClass=groupOfNames', 'cn', '')).toBe('(&(objectClass=groupOfNames)(cn=*))');
  });
});

describe('normalizeDn', () => {
  it('gives differently spelled DNs of one entry one spelling', () => {
    expect(normalizeDn('CN=Devs, OU=Groups,dc=Example,dc=test')).toBe('cn=devs,ou=groups,dc=example,dc=test');
    expect(normalizeDn(' cn=devs,ou=groups,dc=example,dc=test ')).toBe('cn=devs,ou=groups,dc=example,dc=test');
  });

  it('refuses text that is not a DN', () => {
    expect(normalizeDn('')).toBeNull();
    expect(normalizeDn('not a dn')).toBeNull();
  });
});
