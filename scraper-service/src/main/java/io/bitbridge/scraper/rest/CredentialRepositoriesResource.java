package io.bitbridge.scraper.rest;

import io.bitbridge.bitbucket.BitbucketApiException;
import io.bitbridge.bitbucket.RepositoryBranches;
import io.bitbridge.bitbucket.BitbucketUnreachableException;
import io.bitbridge.common.auth.Roles;
import io.bitbridge.common.rest.Lookups;
import io.bitbridge.common.rest.ProblemException;
import io.bitbridge.credentialclient.CredentialNeedsReconnectException;
import io.bitbridge.credentialclient.CredentialServiceUnavailableException;
import io.bitbridge.scraper.client.RequestBudgetExhaustedException;
import io.bitbridge.scraper.config.ScraperConfig;
import io.bitbridge.scraper.discovery.RepositoryBranchReader;
import io.bitbridge.scraper.discovery.RepositoryDiscovery;
import io.bitbridge.scraper.discovery.RepositoryDiscovery.ScrapeResult;
import io.bitbridge.scraper.discovery.RepositoryStore;
import io.bitbridge.scraper.discovery.RepositoryStore.RepositoryView;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Duration;
import java.util.List;

/** The repositories each credential lists, as the last scrape stored them, and an admin's "scrape it now". */
@Path("/api/credentials/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class CredentialRepositoriesResource {
    static final int MAX_LIMIT = 200;

    private final RepositoryStore store;
    private final RepositoryDiscovery discovery;
    private final RepositoryBranchReader branchReader;
    private final ScraperConfig config;

    CredentialRepositoriesResource(RepositoryStore store, RepositoryDiscovery discovery, RepositoryBranchReader branchReader,
                                   ScraperConfig config) {
        this.store = store;
        this.discovery = discovery;
        this.branchReader = branchReader;
        this.config = config;
    }

    /** A repository's branches as Bitbucket listed them now: {@code truncated} when there were more than {@code limit}. */
    public record BranchList(String repository, List<RepositoryBranches.Branch> branches, boolean truncated) {
    }

    /** One page: the repositories in key order, and the {@code after} value of the next page (null on the last). */
    public record RepositoryPage(List<RepositoryView> items, String next) {
    }

    @GET
    @Path("repositories")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The credential's repositories by key, optionally of one workspace / project and with a name containing a text; removed ones on request")
    public Uni<RepositoryPage> list(@PathParam("id") String id, @QueryParam("owner") String owner, @QueryParam("name") String name,
                                    @QueryParam("includeRemoved") @DefaultValue("false") boolean includeRemoved,
                                    @QueryParam("after") String after,
                                    @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(MAX_LIMIT) int limit) {
        return Lookups.orFail(store.credentialKnown(id).map(known -> known ? Boolean.TRUE : null),
                        () -> new ProblemException("credential-not-found", "Credential not found", 404,
                                "no repositories were ever listed for credential " + id))
                .chain(ignored -> store.list(id, blankToNull(owner), blankToNull(name), includeRemoved, blankToNull(after), limit + 1))
                .map(rows -> rows.size() <= limit ? new RepositoryPage(rows, null)
                        : new RepositoryPage(List.copyOf(rows.subList(0, limit)), rows.get(limit - 1).key()));
    }

    @GET
    @Path("repositories/{owner}/{slug}/branches")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The branches of one of the credential's repositories, read from Bitbucket now: name, head commit, whether it is the default; at most limit (default and most: bitbridge.scraper.discovery.branch-cap)")
    public Uni<BranchList> branches(@PathParam("id") String id, @PathParam("owner") String owner, @PathParam("slug") String slug,
                                    @QueryParam("limit") @Min(1) Integer limit) {
        int cap = Math.min(limit == null ? config.discovery().branchCap() : limit, config.discovery().branchCap());
        return Lookups.orFail(store.find(id, owner, slug).map(found -> found.orElse(null)),
                        () -> new ProblemException("repository-not-found", "Repository not found", 404,
                                "credential " + id + " lists no repository " + owner + "/" + slug))
                .chain(repository -> Uni.createFrom().item(() -> {
                            RepositoryBranches read = branchReader.read(id, repository, cap);
                            return new BranchList(repository.key(), read.branches(), read.truncated());
                        })
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .onFailure().transform(CredentialRepositoriesResource::problem);
    }

    @POST
    @Path("repositories:refresh")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Lists the credential's repositories from Bitbucket now; answers what changed (published on repositories.catalog.v1)")
    public Uni<ScrapeResult> refresh(@PathParam("id") String id) {
        return Uni.createFrom().item(() -> discovery.refresh(id)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure().transform(CredentialRepositoriesResource::problem);
    }

    private static Throwable problem(Throwable failure) {
        if (failure instanceof RepositoryDiscovery.UnknownCredentialException) {
            return new ProblemException("credential-not-found", "Credential not found", 404, failure.getMessage());
        }
        if (failure instanceof CredentialNeedsReconnectException) {
            return new ProblemException("credential-down", "Credential is down", 409, "the credential needs reconnecting before it can be scraped");
        }
        if (failure instanceof BitbucketApiException api && api.status() != 429 && !api.retryable()) {
            return new ProblemException("bitbucket-refused", "Bitbucket refused the listing", 502,
                    "Bitbucket answered " + api.status() + ": " + api.reason());
        }
        if (failure instanceof BitbucketApiException || failure instanceof BitbucketUnreachableException
                || failure instanceof RequestBudgetExhaustedException || failure instanceof CredentialServiceUnavailableException) {
            return new ProblemException(io.bitbridge.common.rest.Problem.of("listing-unavailable", "Listing unavailable now", 503,
                    failure.getMessage()), Duration.ofMinutes(1));
        }
        if (failure instanceof IllegalStateException) {
            // a next link to another host, or a listing that does not end: nothing was stored
            return new ProblemException("bitbucket-listing-refused", "Bitbucket listing refused", 502, failure.getMessage());
        }
        return failure;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
