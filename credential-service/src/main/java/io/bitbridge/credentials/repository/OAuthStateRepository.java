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
                // a flow whose consent link was never opened has no callback yet
                .map(state -> state == null || state.ticketHash != null ? null : state)
                .call(state -> state == null ? Uni.createFrom().nullItem() : delete(state));
    }

    /** The flow whose consent link carries this ticket, locked, so of two browsers opening the link only one gets it. */
    public Uni<OAuthState> findByTicket(String ticketHash) {
        return find("ticketHash", ticketHash).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<Long> purgeExpired(Instant now) {
        return delete("expiresAt < ?1", now);
    }
}
