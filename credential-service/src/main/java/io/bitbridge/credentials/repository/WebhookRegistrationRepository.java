package io.bitbridge.credentials.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class WebhookRegistrationRepository implements PanacheRepositoryBase<WebhookRegistrationEntity, Long> {

    public Uni<List<WebhookRegistrationEntity>> forCredential(UUID credentialId) {
        return list("credentialId = ?1 order by owner, repo", credentialId);
    }

    public Uni<WebhookRegistrationEntity> find(UUID credentialId, String owner, String repo) {
        return find("credentialId = ?1 and owner = ?2 and repo = ?3", credentialId, owner, repo).firstResult();
    }
}
