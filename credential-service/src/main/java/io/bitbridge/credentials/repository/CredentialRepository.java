package io.bitbridge.credentials.repository;

import io.bitbridge.common.rest.Lookups;
import io.bitbridge.credentials.service.Problems;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class CredentialRepository implements PanacheRepositoryBase<Credential, UUID> {

    /**
     * The row under a PostgreSQL row lock ({@code SELECT … FOR UPDATE}) held until the transaction ends: every
     * replica that refreshes a token or changes hooks of this credential waits here for the one before it.
     */
    public Uni<Credential> findLocked(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The credential, or a failure with the 404 problem {@code credential-not-found}. */
    public Uni<Credential> findOrFail(UUID id) {
        return Lookups.orFail(findById(id), () -> Problems.notFound(id));
    }

    /** {@link #findLocked} or the 404 problem. */
    public Uni<Credential> findLockedOrFail(UUID id) {
        return Lookups.orFail(findLocked(id), () -> Problems.notFound(id));
    }

    public Uni<Boolean> nameTaken(String name) {
        return count("lower(name) = lower(?1)", name).map(n -> n > 0);
    }

    public Uni<List<Credential>> listByName() {
        return list("order by lower(name)");
    }
}
