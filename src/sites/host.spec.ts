import { normaliseHost } from './host.js';

describe('normaliseHost', () => {
  it.each([
    ['www.ecardia.example', 'www.ecardia.example'],
    ['WWW.Ecardia.Example', 'www.ecardia.example'],
    ['www.ecardia.example:8080', 'www.ecardia.example'],
    ['www.ecardia.example.', 'www.ecardia.example'],
    ['localhost:3000', 'localhost'],
    ['127.0.0.1:8080', '127.0.0.1'],
    ['[::1]:8080', '[::1]'],
  ])('reads %s as %s', (raw, expected) => {
    expect(normaliseHost(raw)).toBe(expected);
  });

  it.each([
    [undefined],
    [''],
    ['a.example, b.example'],
    ['a.example b.example'],
    ['a.example/evil'],
    ['a.example@b.example'],
    ['a..example'],
    ['.example'],
    ['a.example:port'],
    ['a.example\r\nx: y'],
  ])('refuses %p', (raw) => {
    expect(normaliseHost(raw)).toBeNull();
  });

  it('refuses a header sent twice', () => {
    expect(normaliseHost(['a.example', 'b.example'])).toBeNull();
  });
});
