package io.bitbridge.credentials.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Short claims on a piece of work across replicas ({@code work_claim}), so a Bitbucket call can run with no transaction
 * open: claim (one short transaction), call, write, release (another). A claim not released expires after its TTL.
 */
@ApplicationScoped
public class WorkClaims {
    private static final String CLAIM = """
            insert into work_claim (work_key, holder, claimed_until) values (?1, ?2, now() + make_interval(secs => ?3))
            on conflict (work_key) do update set holder = excluded.holder, claimed_until = excluded.claimed_until
            where work_claim.claimed_until < now()""";

    /** The claim's holder id, or empty when someone else holds the work now. */
    public Uni<Optional<UUID>> claim(String key, Duration ttl) {
        UUID holder = UUID.randomUUID();
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(CLAIM)
                        .setParameter(1, key).setParameter(2, holder).setParameter(3, (double) ttl.toSeconds())
                        .executeUpdate()))
                .map(rows -> rows == 1 ? Optional.of(holder) : Optional.empty());
    }

    public Uni<Void> release(String key, UUID holder) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                        .createNativeQuery("delete from work_claim where work_key = ?1 and holder = ?2")
                        .setParameter(1, key).setParameter(2, holder).executeUpdate()))
                .replaceWithVoid();
    }

    /** Completes once nobody holds {@code key} (released or expired), polling; fails after {@code atMost}. */
    public Uni<Void> awaitReleased(String key, Duration atMost) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session
                        .createNativeQuery("select count(*) from work_claim where work_key = ?1 and claimed_until >= now()", Long.class)
                        .setParameter(1, key).getSingleResult()))
                .invoke(held -> {
                    if (held > 0) {
                        throw new StillHeld();
                    }
                })
                .onFailure(StillHeld.class).retry().withBackOff(Duration.ofMillis(50), Duration.ofMillis(500)).expireIn(atMost.toMillis())
                .replaceWithVoid();
    }

    private static final class StillHeld extends RuntimeException {
        StillHeld() {
            super("claimed", null, false, false);
        }
    }

    /**
     * Runs {@code work} under the claim of {@code key}, released however the work ends; {@code busy} is the failure when
     * another holder has it.
     */
    public <T> Uni<T> exclusively(String key, Duration ttl, Supplier<RuntimeException> busy, Supplier<Uni<T>> work) {
        return claim(key, ttl).chain(holder -> holder.isEmpty()
                ? Uni.createFrom().failure(busy.get())
                : Uni.createFrom().<T>deferred(work::get).onTermination().call(() -> release(key, holder.get())));
    }
}
