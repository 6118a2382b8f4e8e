package io.bitbridge.credentials.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;

@ApplicationScoped
public class OAuthStateRepository implements PanacheRepositoryBase<OAuthState, String> {

    /**
     * Takes a pending consent flow out of the store: a row lock plus delete, so of two callbacks with the same state
     * (a replay, or the same callback reaching two replicas) only one gets it.
     */
    public Uni<OAuthState> take(String nonce) {
        return findById(nonce, LockModeType.PESSIMISTIC_WRITE)
                .call(state -> state == null ? Uni.createFrom().nullItem() : delete(state));
    }

    public Uni<Long> purgeExpired(Instant now) {
        return delete("expiresAt < ?1", now);
    }
}
