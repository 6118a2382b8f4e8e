package io.bitbridge.bitbucket;

/**
 * Who a credential authenticates as. {@code id} is Bitbucket's stable id (Cloud: the user UUID with braces;
 * Server: the numeric user id or the user slug); {@code scopes} is what Bitbucket reported, if it did.
 */
public record BitbucketAccount(String id, String username, String displayName, String scopes) {
}
