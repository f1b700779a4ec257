import { describe, expect, it } from 'vitest';
import { blockedReason, cidrContains, embeddedIpv4, formatIp, parseCidr, parseIp } from './ip-ranges.js';

const reason = (text: string) => blockedReason(parseIp(text)!);

describe('parseIp', () => {
  it('parses canonical IPv4 and refuses malformed or ambiguous forms', () => {
    expect(formatIp(parseIp('192.168.1.20')!)).toBe('192.168.1.20');
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1..2.3', 'a.b.c.d', '']) {
      expect(parseIp(bad), bad).toBeUndefined();
    }
  });

  it('parses IPv6 with compression, brackets, zone ids and IPv4 tails', () => {
    expect(formatIp(parseIp('[::1]')!)).toBe('::1');
    expect(formatIp(parseIp('0:0:0:0:0:0:0:1')!)).toBe('::1');
    expect(formatIp(parseIp('fe80::1%eth0')!)).toBe('fe80::1');
    expect(formatIp(parseIp('::ffff:127.0.0.1')!)).toBe('::ffff:7f00:1');
    expect(formatIp(parseIp('2001:db8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1');
    expect(formatIp(parseIp('::')!)).toBe('::');
    for (const bad of ['1::2::3', '12345::', ':::', '1:2:3:4:5:6:7:8:9', 'g::1', '::1.2.3', 'example.com']) {
      expect(parseIp(bad), bad).toBeUndefined();
    }
  });
});

describe('parseCidr / cidrContains', () => {
  it('matches addresses by prefix, per IP version', () => {
    const ten = parseCidr('10.0.0.0/8')!;
    expect(cidrContains(ten, parseIp('10.255.0.1')!)).toBe(true);
    expect(cidrContains(ten, parseIp('11.0.0.1')!)).toBe(false);
    expect(cidrContains(parseCidr('172.16.0.0/12')!, parseIp('172.31.255.255')!)).toBe(true);
    expect(cidrContains(parseCidr('172.16.0.0/12')!, parseIp('172.32.0.0')!)).toBe(false);
    expect(cidrContains(parseCidr('fc00::/7')!, parseIp('fdff::1')!)).toBe(true);
    expect(cidrContains(parseCidr('127.0.0.1')!, parseIp('127.0.0.1')!)).toBe(true);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('::1')!)).toBe(false);
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('10.0.0.0/')).toBeUndefined();
  });
});

describe('blockedReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.100.100.200', 'carrier-grade NAT'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.170.2', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['198.18.0.1', 'benchmarking'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['::ffff:127.0.0.1', 'loopback address inside an IPv6'],
    ['::ffff:169.254.169.254', 'cloud metadata address inside an IPv6'],
    ['::ffff:10.0.0.1', 'private address (10.0.0.0/8) inside'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    ['::127.0.0.1', 'IPv4-compatible'],
    ['::ffff:0:7f00:1', 'reserved address (outside 2000::/3)'],
    ['200::1', 'reserved'],
    ['4000::1', 'reserved'],
    ['e000::1', 'reserved'],
  ])('refuses %s (%s)', (address, label) => {
    expect(reason(address)).toContain(label);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.215.14',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '2002:808:808::1',
  ])('lets the public address %s through', (address) => {
    expect(reason(address)).toBeUndefined();
  });

  it('extracts the IPv4 address from mapped, NAT64 and 6to4 forms', () => {
    expect(formatIp(embeddedIpv4(parseIp('::ffff:1.2.3.4')!)!)).toBe('1.2.3.4');
    expect(formatIp(embeddedIpv4(parseIp('64:ff9b::1.2.3.4')!)!)).toBe('1.2.3.4');
    expect(formatIp(embeddedIpv4(parseIp('2002:102:304::')!)!)).toBe('1.2.3.4');
    expect(embeddedIpv4(parseIp('2606:4700::1')!)).toBeUndefined();
  });
});
