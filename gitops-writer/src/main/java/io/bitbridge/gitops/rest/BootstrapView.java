package io.bitbridge.gitops.rest;

import io.bitbridge.gitops.service.BootstrapService;

import java.util.List;

/**
 * What a bootstrap did: the repository ({@code owner/slug}) and whether it was created, the groups granted now and
 * those that already could write, the target and whether it was attached now, the initial commit's result, and
 * {@code changed}: false when a run found everything as asked.
 */
public record BootstrapView(String repository, boolean repositoryCreated, List<String> groupsGranted, List<String> groupsKept,
                            TargetView target, boolean targetCreated, CommitView commit, boolean changed) {
    static BootstrapView of(BootstrapService.Report report) {
        return new BootstrapView(report.repository(), report.repositoryCreated(), report.groupsGranted(), report.groupsKept(),
                TargetView.of(report.target()), report.targetCreated(), CommitView.of(report.commit()), report.changed());
    }
}
