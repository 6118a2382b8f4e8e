package io.bitbridge.fakes.cloud;

/** A repository permission in the Cloud fake, ordered: each includes the ones before it. */
public enum CloudPermission {
    READ, WRITE, ADMIN;

    public boolean includes(CloudPermission other) {
        return compareTo(other) >= 0;
    }
}
