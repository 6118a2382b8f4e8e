package io.bitbridge.scraper;

import io.bitbridge.bitbucket.BaseUrlRefusedException;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.Provider;
import io.bitbridge.scraper.client.BitbucketReaders;
import io.bitbridge.testkit.BitbridgeTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outbound policy holds at call time in scraper-service too, not only when credential-service stored the base URL:
 * an authorization whose base URL names an internal address that {@code bitbridge.outbound.private-allowed-hosts} does
 * not list (the tests allow {@code 127.0.0.1} and {@code localhost} only) is refused before any connection.
 */
@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class OutboundPolicyTest {
    @Inject
    BitbucketReaders readers;

    @Test
    void aBaseUrlOnAnInternalAddressThatIsNotAllowListedIsRefusedWithoutConnecting() throws Exception {
        try (ServerSocket internal = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"))) {
            Authorization authorization = new Authorization("Bearer secret", null, "https://127.0.0.2:" + internal.getLocalPort(),
                    null, null, null, false, CredentialKind.BITBUCKET_SERVER_TOKEN, Provider.BITBUCKET_SERVER);

            BaseUrlRefusedException refused = assertThrows(BaseUrlRefusedException.class,
                    () -> readers.repositories("internal-address", authorization));

            assertTrue(refused.getMessage().contains("loopback, link-local or private address"), refused.getMessage());
            internal.setSoTimeout(500);
            assertThrows(SocketTimeoutException.class, internal::accept, "no connection was made to the refused address");
        }
    }
}
