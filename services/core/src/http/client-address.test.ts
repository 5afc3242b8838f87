import type { Request } from 'express';
import { clientAddress, isTrustedProxy } from './client-address';

function request(peer: string | undefined, forwardedFor?: string): Request {
  return {
    socket: { remoteAddress: peer },
    header: (name: string) => (name.toLowerCase() === 'x-forwarded-for' ? forwardedFor : undefined),
  } as unknown as Request;
}

describe('the client address used for login throttling', () => {
  it('takes the right-most X-Forwarded-For entry (the one our proxy appended) from a loopback peer', () => {
    expect(clientAddress(request('127.0.0.1', '203.0.113.7'))).toBe('203.0.113.7');
    expect(clientAddress(request('::ffff:127.0.0.1', '1.2.3.4, 203.0.113.7'))).toBe('203.0.113.7');
    expect(clientAddress(request('::1', '2001:db8::1'))).toBe('2001:db8::1');
  });

  it('trusts the header from a private-network peer (the compose network)', () => {
    expect(clientAddress(request('172.18.0.5', '203.0.113.8'))).toBe('203.0.113.8');
    expect(clientAddress(request('10.1.2.3', '203.0.113.9'))).toBe('203.0.113.9');
  });

  it('ignores the header from any other peer, so a direct client cannot choose its address', () => {
    expect(clientAddress(request('198.51.100.20', '203.0.113.7'))).toBe('198.51.100.20');
    expect(clientAddress(request('::ffff:198.51.100.20', '127.0.0.1'))).toBe('198.51.100.20');
  });

  it('falls back to the peer when the header holds no address', () => {
    expect(clientAddress(request('127.0.0.1', 'not-an-address'))).toBe('127.0.0.1');
    expect(clientAddress(request('127.0.0.1', ' , '))).toBe('127.0.0.1');
    expect(clientAddress(request('127.0.0.1'))).toBe('127.0.0.1');
    expect(clientAddress(request(undefined))).toBe('unknown');
  });

  it.each([
    ['127.0.0.1', true], ['10.0.0.1', true], ['172.16.0.1', true], ['172.31.255.255', true], ['192.168.1.1', true],
    ['::1', true], ['fd00::1', true], ['172.32.0.1', false], ['8.8.8.8', false], ['2001:db8::1', false], ['localhost', false],
  ])('%s is a trusted proxy peer: %s', (address, trusted) => {
    expect(isTrustedProxy(address)).toBe(trusted);
  });
});
