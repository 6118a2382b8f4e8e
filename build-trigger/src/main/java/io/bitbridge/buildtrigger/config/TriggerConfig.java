package io.bitbridge.buildtrigger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** build-trigger's settings ({@code bitbridge.build-trigger.*}); see the module README for an example. */
@ConfigMapping(prefix = "bitbridge.build-trigger")
public interface TriggerConfig {

    /** Jenkins instances by name. */
    Map<String, Instance> instances();

    /** Which repository and branch builds where; the first rule matching both patterns applies. */
    List<Rule> rules();

    Jenkins jenkins();

    interface Instance {
        /** Base URL, e.g. {@code https://jenkins.example.com} (a context path such as {@code /jenkins} is kept). */
        String url();

        String user();

        /** The user's API token: Jenkins needs no crumb for it. */
        Optional<String> apiToken();

        /** A password instead of an API token: requests then carry a crumb from {@code /crumbIssuer/api/json}. */
        Optional<String> password();

        /** PEM file of the CA that signed the instance's certificate, when the JDK's trust store does not know it. */
        Optional<Path> caFile();
    }

    interface Rule {
        /** Repository key glob ({@code bitbucket-cloud:bitbucket.org/game/*}); {@code *} stops at {@code /}, {@code **} does not. */
        @WithDefault("**")
        String repository();

        /** Branch glob ({@code main}, {@code release/*}). */
        @WithDefault("**")
        String branch();

        /** Name of the Jenkins instance (a key of {@code instances}). */
        String instance();

        /** The job {@code #jenkins} starts, and {@code #ci}/{@code #build} unless {@code build-job} is set. */
        String defaultJob();

        /** The job {@code #ci} and {@code #build} start. */
        Optional<String> buildJob();

        /** Parameters every build of this rule gets; inline tag parameters override them. */
        Map<String, String> parameters();

        /** Jobs a {@code #jenkins:Job} tag may start (globs); the default and build jobs are always allowed. */
        Optional<List<String>> allowedJobs();

        /** Whether pushing a git tag builds (ref name as {@code BRANCH}). */
        @WithDefault("false")
        boolean tagPushes();
    }

    interface Jenkins {
        /** How long one Jenkins request may take. */
        @WithDefault("10s")
        Duration attemptTimeout();

        /** Retries after 5xx or a connection failure. */
        @WithDefault("3")
        int maxRetries();

        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();

        /** Consecutive attempts a breaker looks at (per instance) and how long it stays open. */
        @WithDefault("10")
        int breakerWindow();

        @WithDefault("30s")
        Duration breakerDelay();

        /** How often and how long a queue item is followed until it has a build. */
        @WithDefault("1s")
        Duration queuePollInterval();

        @WithDefault("10m")
        Duration queueTimeout();

        /** How often and how long a build is followed until it has a result. */
        @WithDefault("10s")
        Duration buildPollInterval();

        @WithDefault("6h")
        Duration buildTimeout();

        /**
         * How long a trigger being called stays claimed by the instance calling it without being renewed (it is
         * renewed every third of it while the call runs). A push seen again waits while the claim holds; once it has
         * run out (the caller died) the trigger is recovered from Jenkins.
         */
        @WithDefault("15s")
        Duration callLease();

        /**
         * A recovered or retried trigger is searched for among at least this many of the job's latest builds, and
         * among every build started since its call (however many that is, within the 100 Jenkins lists).
         */
        @WithName("recent-builds-checked")
        @WithDefault("20")
        int recentBuildsChecked();
    }
}
