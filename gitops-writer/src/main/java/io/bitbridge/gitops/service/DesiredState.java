package io.bitbridge.gitops.service;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/** What a commit request wants under a target's path; file paths relative to that path. */
public sealed interface DesiredState {

    /** Every file under the path: a file present now and absent here is deleted. */
    record FullSet(SortedMap<String, FileContent> files) implements DesiredState {
        public FullSet(Map<String, byte[]> files) {
            this(FileContent.all(files));
        }
    }

    /** Files to write and files to delete; everything else stays. */
    record Patch(SortedMap<String, FileContent> put, SortedSet<String> delete) implements DesiredState {
        public Patch(Map<String, byte[]> put, List<String> delete) {
            this(FileContent.all(put), new TreeSet<>(delete));
        }
    }
}
