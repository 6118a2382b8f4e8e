package io.bitbridge.events;

public enum PullRequestState {
    OPEN, DRAFT, MERGED, DECLINED, SUPERSEDED, UNKNOWN
}
