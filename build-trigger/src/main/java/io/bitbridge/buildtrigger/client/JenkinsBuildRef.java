package io.bitbridge.buildtrigger.client;

/** A started build: its number and URL ({@code .../job/X/42/}). */
public record JenkinsBuildRef(int number, String url) {
}
