package io.bitbridge.events;

public enum RefType {
    BRANCH, TAG, UNKNOWN
}
