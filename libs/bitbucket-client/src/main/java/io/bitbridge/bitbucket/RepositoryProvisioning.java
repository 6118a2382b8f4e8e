package io.bitbridge.bitbucket;

/**
 * Making sure a repository exists and that groups may write to it, as a bootstrap does: each call finds out first
 * and changes only what is missing, so running it again changes nothing. Blocking.
 */
public interface RepositoryProvisioning {

    /** Creates {@code owner/slug} (with {@code mainBranch} as its main branch) unless it exists; true when this call created it. */
    boolean ensureRepository(String owner, String slug, boolean isPrivate, String description, String mainBranch);

    /** Grants {@code group} write access unless it holds write (or admin) already; true when this call granted it. */
    boolean ensureGroupWrite(String owner, String slug, String group);
}
