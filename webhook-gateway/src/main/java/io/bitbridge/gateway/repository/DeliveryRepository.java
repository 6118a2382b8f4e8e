package io.bitbridge.gateway.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The deliveries log: newest first, at most N rows per credential. */
@ApplicationScoped
public class DeliveryRepository implements PanacheRepositoryBase<DeliveryRecord, Long> {

    /** Stores one delivery and prunes that credential's log down to {@code keep} rows, in one transaction. */
    public Uni<Void> append(DeliveryRecord record, int keep) {
        return persist(record).chain(saved -> getSession().chain(session -> session.createNativeQuery(
                        "delete from delivery where credential_id = :credential and id < ("
                                + "select min(id) from (select id from delivery where credential_id = :credential "
                                + "order by id desc limit :keep) newest)")
                .setParameter("credential", record.credentialId)
                .setParameter("keep", keep)
                .executeUpdate())).replaceWithVoid();
    }

    public Uni<List<DeliveryRecord>> latest(String credentialId, int limit) {
        return find("credentialId", Sort.descending("id"), credentialId).page(Page.ofSize(limit)).list();
    }
}
