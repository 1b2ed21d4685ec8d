package dev.ioserverless.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    static Cidr cidr(String text) {
        return Cidr.parse(text).orElseThrow(() -> new AssertionError("not parsed: " + text));
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "0.0.0.0/0, 0.0.0.0, true",
        "0.0.0.0/0, 255.255.255.255, true",
        "0.0.0.0/0, 2001:db8::1, false",
        "192.0.2.10/32, 192.0.2.10, true",
        "192.0.2.10/32, 192.0.2.11, false",
        "192.0.2.10, 192.0.2.10, true",
        "192.0.2.10, 192.0.2.9, false",
        "10.0.0.0/8, 10.255.255.255, true",
        "10.0.0.0/8, 11.0.0.0, false",
        "10.0.0.0/8, 9.255.255.255, false",
        "10.1.2.3/8, 10.200.0.1, true",
        "192.168.4.0/22, 192.168.7.255, true",
        "192.168.4.0/22, 192.168.8.0, false",
        "192.168.4.0/22, 192.168.3.255, false",
        "172.16.0.0/12, 172.31.255.255, true",
        "172.16.0.0/12, 172.32.0.0, false",
        "128.0.0.0/1, 127.255.255.255, false",
        "128.0.0.0/1, 128.0.0.0, true",
        "::/0, ::, true",
        "::/0, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true",
        "::/0, 10.0.0.1, false",
        "2001:db8::/32, 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, true",
        "2001:db8::/32, 2001:db9::, false",
        "2001:DB8::/32, 2001:db8::1, true",
        "2001:db8::1/128, 2001:db8::1, true",
        "2001:db8::1/128, 2001:db8::2, false",
        "2001:db8::1, 2001:0db8:0000:0000:0000:0000:0000:0001, true",
        "2001:db8:abcd:12::/63, 2001:db8:abcd:13:ffff::, true",
        "2001:db8:abcd:12::/63, 2001:db8:abcd:14::, false",
        "fe80::/10, febf::1, true",
        "fe80::/10, fec0::1, false",
        "10.0.0.0/8, ::ffff:10.1.2.3, true",
        "10.0.0.0/8, ::ffff:11.1.2.3, false",
        "::ffff:10.0.0.0/104, 10.9.9.9, true",
        "::ffff:10.0.0.0/104, 11.9.9.9, false",
        "64:ff9b::/96, 64:ff9b::192.0.2.33, true",
        "2001:db8::/32, 192.0.2.1, false"
    })
    void containment(String network, String address, boolean expected) {
        assertEquals(expected, cidr(network).contains(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0/8",
        "10.0.0.0.0/8", "256.0.0.0/8", "010.0.0.0/8", "10.0.0.0/8/8", "10.0.0.0 /8", "2001:db8::/129",
        "2001:db8:::/32", "2001:db8::1::/64", "1:2:3:4:5:6:7:8:9/64", "1:2:3:4:5:6:7/64", "12345::/16",
        "g::/16", "fe80::1%eth0/64", "[2001:db8::]/32", "localhost/32", "example.com", "1.2.3.4::/64",
        "::1.2.3/96", "10.0.0.0/8a", "10.0.0.0/0008"})
    void malformedEntriesDoNotParse(String text) {
        assertEquals(Optional.empty(), Cidr.parse(text));
    }

    @Test
    void surroundingWhitespaceIsTolerated() {
        assertEquals(cidr("10.0.0.0/8"), cidr(" 10.0.0.0/8 "));
    }

    @Test
    void hostBitsAreCleared() {
        assertEquals("10.0.0.0/8", cidr("10.1.2.3/8").toString());
        assertEquals("2001:db8:0:0:0:0:0:0/32", cidr("2001:db8:1::5/32").toString());
    }

    @Test
    void malformedAddressesAreNotContained() {
        Cidr all = cidr("0.0.0.0/0");
        assertFalse(all.contains("not-an-ip"));
        assertFalse(all.contains((String) null));
        assertFalse(all.contains("1.2.3.4:443"));
        assertFalse(cidr("::/0").contains("[::1]"));
        assertTrue(cidr("::/0").contains("::1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1:2:3:4:5:6:7:8", "::", "::1", "1::", "1:2:3:4:5:6::8", "1::8", "::ffff:1.2.3.4",
        "1:2:3:4:5:6:1.2.3.4", "FFFF::"})
    void validIpv6Literals(String text) {
        assertTrue(IpAddress.parse(text).isPresent(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", ":::",
        "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4.5", "::\u0661", "1::2%1", " ::1"})
    void invalidIpv6Literals(String text) {
        assertEquals(Optional.empty(), IpAddress.parse(text), text);
    }

    @Test
    void ipv4MappedAddressesUnmap() {
        IpAddress mapped = IpAddress.parse("::ffff:192.0.2.1").orElseThrow();
        assertTrue(mapped.isIpv4Mapped());
        assertEquals(IpAddress.parse("192.0.2.1").orElseThrow(), mapped.unmapped());
        assertEquals("192.0.2.1", mapped.unmapped().toString());
    }
}
