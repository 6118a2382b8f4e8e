package io.bitbridge.scraper.discovery;

import io.bitbridge.events.RepositoryCatalogEvent.Type;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes between what is stored for a credential and what its listing says now: a repository new to the store or
 * listed again after its removal is DISCOVERED, one whose facts differ is UPDATED, one stored but no longer listed is
 * REMOVED; an unchanged repository is no change at all. Sorted by repository key, so a scrape is deterministic.
 */
final class CatalogDiff {
    private CatalogDiff() {
    }

    /** A repository as stored: its facts and whether it was marked removed. */
    record Stored(CatalogEntry entry, boolean removed) {
    }

    record Change(Type type, CatalogEntry entry) {
    }

    static List<Change> between(Map<String, Stored> stored, Collection<CatalogEntry> listed) {
        Map<String, CatalogEntry> now = byKey(listed);
        List<Change> changes = new ArrayList<>();
        for (CatalogEntry entry : now.values()) {
            Stored before = stored.get(entry.key());
            if (before == null || before.removed()) {
                changes.add(new Change(Type.DISCOVERED, entry));
            } else if (!before.entry().equals(entry)) {
                changes.add(new Change(Type.UPDATED, entry));
            }
        }
        stored.forEach((key, before) -> {
            if (!before.removed() && !now.containsKey(key)) {
                changes.add(new Change(Type.REMOVED, before.entry()));
            }
        });
        changes.sort(Comparator.comparing(change -> change.entry().key()));
        return changes;
    }

    /** The listing without repeats (the first of each key), in the listing's order. */
    static List<CatalogEntry> distinct(Collection<CatalogEntry> listed) {
        return List.copyOf(byKey(listed).values());
    }

    private static Map<String, CatalogEntry> byKey(Collection<CatalogEntry> listed) {
        Map<String, CatalogEntry> byKey = new LinkedHashMap<>();
        listed.forEach(entry -> byKey.putIfAbsent(entry.key(), entry));
        return byKey;
    }
}
