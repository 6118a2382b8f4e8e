package io.bitbridge.tracker.config;

import io.smallrye.config.ConfigMapping;

import java.util.List;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "bitbridge.tracker")
public interface TrackerConfig {

    TaskKeys taskKeys();

    interface TaskKeys {
        /** Project keys accepted in every repository (e.g. {@code GAME,OPS2}); empty = every key the pattern finds. */
        Optional<List<String>> projects();

        /**
         * Per repository key (quoted in properties: {@code repositories."bitbucket-cloud:bitbucket.org/acme/game"=GAME}),
         * replacing the global list for that repository.
         */
        Map<String, List<String>> repositories();
    }
}
