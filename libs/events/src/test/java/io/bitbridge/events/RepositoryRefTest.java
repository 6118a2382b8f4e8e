package io.bitbridge.events;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RepositoryRefTest {

    @Test
    void keyIsProviderHostOwnerSlugInLowerCase() {
        RepositoryRef ref = RepositoryRef.of(Provider.BITBUCKET_SERVER, "Bitbucket.Example.com", "OPS", "Platform", "Platform", null, null);
        assertEquals("bitbucket-server:bitbucket.example.com/ops/platform", ref.key());
        assertEquals("OPS", ref.owner());
        assertEquals(List.of(), ref.cloneUrls());
    }
}
