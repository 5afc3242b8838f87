import { appFileStem } from './app-file-name';

describe('app file name', () => {
  it.each([
    ['core', 'core'],
    ['registry-1', 'registry-1'],
    ['my_app.v2', 'my_app.v2'],
  ])('keeps a plain name %s', (name, stem) => {
    expect(appFileStem(name)).toBe(stem);
  });

  it.each([
    ['../x', '_x'],
    ['../../etc/passwd', '_.._etc_passwd'],
    ['/etc/cron.d/evil', '_etc_cron.d_evil'],
    ['a/b', 'a_b'],
    ['a\\b', 'a_b'],
    ['evil\0.log', 'evil_.log'],
    ['tab\there', 'tab_here'],
    ['.hidden', 'hidden'],
    ['postfix/smtpd', 'postfix_smtpd'],
    ['grüße', 'gr__e'],
  ])('neutralises %j', (name, stem) => {
    expect(appFileStem(name)).toBe(stem);
  });

  it.each([null, '', '.', '..', '...', '/', '//', '\0', '___', '-'])('files %j under unknown', (name) => {
    expect(appFileStem(name)).toBe('unknown');
  });

  it('cuts very long names to 48 characters', () => {
    expect(appFileStem('a'.repeat(10000))).toBe('a'.repeat(48));
  });

  it('never yields a separator, a leading dot or more than 48 characters, whatever the input', () => {
    for (let i = 0; i < 2000; i += 1) {
      const name = String.fromCharCode(...Array.from({ length: i % 70 }, (_, j) => (i * 31 + j * 17) % 0x300));
      const stem = appFileStem(name);
      expect(stem).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,47}$/);
    }
  });
});
