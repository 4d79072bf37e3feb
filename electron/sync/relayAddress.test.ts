import { describe, expect, it } from 'vitest';
import { parseRelayUrl } from './relayAddress.js';

describe('the relay address a desktop accepts', () => {
  it('accepts HTTPS anywhere and plain HTTP only on loopback', () => {
    expect(parseRelayUrl('https://relay.example.com/')).toBe('https://relay.example.com');
    expect(parseRelayUrl(' https://relay.example.com/ares/ ')).toBe('https://relay.example.com/ares');
    expect(parseRelayUrl('http://127.0.0.1:7420')).toBe('http://127.0.0.1:7420');
    expect(parseRelayUrl('http://localhost:7420')).toBe('http://localhost:7420');
    expect(parseRelayUrl('http://[::1]:7420')).toBe('http://[::1]:7420');
  });

  it('refuses plain HTTP to another machine, other schemes, credentials in the URL and garbage', () => {
    expect(() => parseRelayUrl('http://relay.example.com')).toThrow(/HTTPS/);
    expect(() => parseRelayUrl('http://192.168.1.10:7420')).toThrow(/HTTPS/);
    expect(() => parseRelayUrl('http://127.0.0.1.example.com')).toThrow(/HTTPS/);
    expect(() => parseRelayUrl('ftp://relay.example.com')).toThrow(/HTTPS/);
    expect(() => parseRelayUrl('https://user:secret@relay.example.com')).toThrow(/user name or password/);
    expect(() => parseRelayUrl('not a url')).toThrow(/not a valid URL/);
  });
});
