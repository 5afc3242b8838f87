import { parseCfg } from './cfg.parser';

const valueOf = (text: string, key: string) => parseCfg(text).entries.get(key)?.value;

describe('harbor.cfg parser', () => {
  it('reads key = value lines and skips comments and blank lines', () => {
    const parsed = parseCfg('# a comment\n\nhostname = reg.example.test\n   # indented comment\nhttp_port = 8081\n');
    expect([...parsed.entries.keys()]).toEqual(['hostname', 'http_port']);
    expect(parsed.entries.get('http_port')).toEqual({ key: 'http_port', value: '8081', line: 5 });
    expect(parsed.issues).toEqual([]);
  });

  it('keeps = and # inside values: only the first = separates', () => {
    expect(valueOf('db_password = a=b#c==\n', 'db_password')).toBe('a=b#c==');
    expect(valueOf('ldap_filter = (&(objectClass=person)(memberOf=cn=x))', 'ldap_filter')).toBe('(&(objectClass=person)(memberOf=cn=x))');
  });

  it('trims whitespace around keys and values, including tabs', () => {
    expect(valueOf('\t hostname\t=\t  reg.example.test  \t', 'hostname')).toBe('reg.example.test');
    expect(valueOf('hostname=reg.example.test', 'hostname')).toBe('reg.example.test');
  });

  it('accepts an empty value', () => {
    expect(valueOf('db_password =\n', 'db_password')).toBe('');
  });

  it('reads CRLF files with the same line numbers and no stray carriage returns', () => {
    const parsed = parseCfg('# c\r\nhostname = a.test\r\n\r\nhttp_port = 80\r\n');
    expect(parsed.entries.get('hostname')).toEqual({ key: 'hostname', value: 'a.test', line: 2 });
    expect(parsed.entries.get('http_port')).toEqual({ key: 'http_port', value: '80', line: 4 });
  });

  it('ignores a UTF-8 byte order mark', () => {
    expect(valueOf('\uFEFFhostname = a.test', 'hostname')).toBe('a.test');
  });

  it('reports a line without = with its line number', () => {
    const parsed = parseCfg('hostname = a.test\nthis is not a setting\n');
    expect(parsed.issues).toEqual([{ key: null, line: 2, message: expect.stringContaining('expected "key = value"') }]);
  });

  it('reports a key that is not a word', () => {
    expect(parseCfg('= value').issues[0]).toMatchObject({ line: 1 });
    expect(parseCfg('my key = value').issues[0]).toMatchObject({ line: 1, message: expect.stringContaining('"my key"') });
  });

  it('reports a duplicate key at its second line, naming the first, and keeps the first value', () => {
    const parsed = parseCfg('http_port = 80\n\nhttp_port = 81\n');
    expect(parsed.issues).toEqual([{ key: 'http_port', line: 3, message: expect.stringContaining('line 1') }]);
    expect(parsed.entries.get('http_port')?.value).toBe('80');
  });
});
