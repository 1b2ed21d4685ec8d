package dev.ioserverless.documents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ioserverless.documents.RemoteContentException.Kind;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which destinations each policy lets the platform contact, with names resolved by a fake resolver, never by DNS. */
class AddressPolicyTest {
    static final Map<String, List<String>> NAMES = Map.of(
            "public.test", List.of("93.184.216.34"),
            "public6.test", List.of("2606:4700:4700::1111"),
            "metadata.test", List.of("169.254.169.254"),
            "metadata6.test", List.of("fd00:ec2::254"),
            "vpc.test", List.of("10.0.0.1"),
            "local.test", List.of("127.0.0.1"),
            "mixed.test", List.of("93.184.216.34", "10.0.0.1"),
            "mixed-loopback.test", List.of("127.0.0.1", "192.168.1.1"));

    static final AddressPolicy.Resolver FAKE = host -> {
        List<String> texts = NAMES.get(host);
        if (texts == null) {
            throw new UnknownHostException("no such test host");
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (String text : texts) {
            addresses.add(InetAddress.getByName(text)); // literals: parsed, not looked up
        }
        return addresses;
    };

    static final AddressPolicy DEPLOYED = AddressPolicy.publicOnly().withResolver(FAKE);
    static final AddressPolicy LOCAL = AddressPolicy.allowLoopback().withResolver(FAKE);

    static void refused(AddressPolicy policy, String url) {
        RemoteContentException e = assertThrows(RemoteContentException.class, () -> policy.vet(URI.create(url)), url);
        assertEquals(Kind.BAD_GATEWAY, e.kind());
        assertTrue(e.getMessage().contains("refused by the address policy"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    static final List<String> NEVER = List.of(
            "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.255", "169.254.169.254",
            "169.254.0.1", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.88.99.1", "192.168.1.1",
            "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250",
            "240.0.0.1", "255.255.255.255",
            "[::]", "[fd00:ec2::254]", "[fd00::1]", "[fc00::1]", "[fe80::1]", "[febf::1]", "[fec0::1]", "[ff02::1]",
            "[100::1]", "[2001:db8::1]", "[2001::1]", "[2001:0:4136:e378:8000:63bf:3fff:fdd2]", "[3fff::1]",
            "[::ffff:169.254.169.254]", "[::ffff:10.0.0.1]", "[::ffff:192.168.1.1]", "[::ffff:0:a9fe:a9fe]",
            "[::a9fe:a9fe]", "[::10.0.0.1]", "[::8.8.8.8]", "[64:ff9b::a9fe:a9fe]", "[64:ff9b::10.0.0.1]",
            "[64:ff9b::127.0.0.1]", "[64:ff9b:1::8.8.8.8]", "[2002:a9fe:a9fe::1]", "[2002:7f00:1::1]", "[2002:c0a8:101::]");

    @Test
    void publicOnlyRefusesEveryNonPublicAddressAndLoopback() {
        for (String host : NEVER) {
            refused(DEPLOYED, "https://" + host + "/");
        }
        for (String host : List.of("127.0.0.1", "127.1.2.3", "[::1]", "[::ffff:127.0.0.1]", "metadata.test",
                "metadata6.test", "vpc.test", "local.test")) {
            refused(DEPLOYED, "https://" + host + "/");
        }
    }

    @Test
    void publicOnlyRefusesHttpUserInfoAndNamesThatDoNotResolve() {
        refused(DEPLOYED, "http://public.test/");
        refused(DEPLOYED, "ftp://public.test/");
        refused(DEPLOYED, "https://user@public.test/");
        refused(DEPLOYED, "https://user:secret@public.test/");
        refused(DEPLOYED, "https://public.test@169.254.169.254/");
        refused(DEPLOYED, "https://unknown.test/");
        refused(DEPLOYED, "https://under_score.test/"); // not a server-based authority: no host
        refused(AddressPolicy.publicOnly().withResolver(host -> List.of()), "https://public.test/");
    }

    @Test
    void aHostResolvingToOnePublicAndOnePrivateAddressIsRefused() {
        refused(DEPLOYED, "https://mixed.test/");
        refused(LOCAL, "http://mixed.test/");
        refused(LOCAL, "http://mixed-loopback.test/");
    }

    @Test
    void publicOnlyAllowsPublicAddresses() throws Exception {
        assertEquals(InetAddress.getByName("93.184.216.34"), DEPLOYED.vet(URI.create("https://public.test/api")));
        assertEquals(InetAddress.getByName("2606:4700:4700::1111"), DEPLOYED.vet(URI.create("https://public6.test:8443/")));
        for (String literal : List.of("8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1", "[2a00:1450:4002::65]",
                "[64:ff9b::8.8.8.8]", "[2002:808:808::1]", "[::ffff:8.8.8.8]")) {
            DEPLOYED.vet(URI.create("https://" + literal + "/"));
        }
    }

    @Test
    void allowLoopbackAllowsLoopbackAndStillRefusesEveryOtherNonPublicAddress() throws Exception {
        assertEquals(InetAddress.getByName("127.0.0.1"), LOCAL.vet(URI.create("http://127.0.0.1:3000/")));
        assertEquals(InetAddress.getByName("127.0.0.1"), LOCAL.vet(URI.create("http://local.test:3000/")));
        LOCAL.vet(URI.create("http://[::1]:3000/"));
        LOCAL.vet(URI.create("https://127.0.0.1/"));
        LOCAL.vet(URI.create("https://public.test/"));
        for (String host : NEVER) {
            refused(LOCAL, "http://" + host + "/");
        }
        for (String host : List.of("10.0.0.1", "192.168.1.1", "169.254.169.254", "[fd00::1]", "metadata.test",
                "metadata6.test", "vpc.test")) {
            refused(LOCAL, "http://" + host + "/");
        }
        refused(LOCAL, "http://user@127.0.0.1/");
        refused(LOCAL, "ftp://127.0.0.1/");
    }

    @Test
    void permitsJudgesSingleAddresses() throws Exception {
        assertFalse(AddressPolicy.publicOnly().permits(InetAddress.getByName("169.254.169.254")));
        assertFalse(AddressPolicy.allowLoopback().permits(InetAddress.getByName("fd00:ec2::254")));
        assertTrue(AddressPolicy.allowLoopback().permits(InetAddress.getByName("::1")));
        assertFalse(AddressPolicy.publicOnly().permits(InetAddress.getByName("::1")));
        assertTrue(AddressPolicy.publicOnly().permits(InetAddress.getByName("1.1.1.1")));
    }
}
