package io.bitbridge.events;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RepositoryRefTest {

    @Test
    void keyIsProviderHostOwnerSlugInLowerCase() {
        RepositoryRef ref = RepositoryRef.of(Provider.BITBUCKET_SERVER, "Bitbucket.Example.com", "OPS", "Platform", "Platform", null, null);
        assertEquals("bitbucket-server:bitbucket.example.com/ops/platform", ref.key());
        assertEquals("OPS", ref.owner());
        assertEquals(List.of(), ref.cloneUrls());
    }

    /** A base URL (credential-service) and a link (a webhook body) of one server give the same key host. */
    @Test
    void hostOfKeepsHostAndPortAndDropsEverythingElse() {
        assertEquals("git.example.com:7990", RepositoryRef.hostOf("https://Git.Example.com:7990/bitbucket"));
        assertEquals("git.example.com:7990", RepositoryRef.hostOf("https://user@git.example.com:7990/projects/OPS/repos/x/browse"));
        assertEquals("git.example.com", RepositoryRef.hostOf(" https://git.example.com "));
        assertEquals("git.example.com:7999", RepositoryRef.hostOf("ssh://git@git.example.com:7999/ops/platform.git"));
        assertNull(RepositoryRef.hostOf("/projects/OPS/repos/x"));
        assertNull(RepositoryRef.hostOf("not a url"));
        assertNull(RepositoryRef.hostOf(null));
    }
}
