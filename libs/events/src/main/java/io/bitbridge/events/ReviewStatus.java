package io.bitbridge.events;

public enum ReviewStatus {
    APPROVED, CHANGES_REQUESTED, UNAPPROVED, UNKNOWN
}
