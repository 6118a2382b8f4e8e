package io.bitbridge.fakes.server;

import java.util.Set;

/**
 * A Bitbucket user. {@code globalPermission} is what the user may do everywhere (null: only what group
 * grants and their own personal project give); {@code groups} feed repository group permissions.
 */
public record ServerUser(int id, String slug, String name, String displayName, String emailAddress,
                         ServerPermission globalPermission, Set<String> groups) {
}
