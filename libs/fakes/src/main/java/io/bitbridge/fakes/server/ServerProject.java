package io.bitbridge.fakes.server;

/** A project, or a user's personal project (key {@code ~slug}, type PERSONAL). */
public record ServerProject(int id, String key, String name, String description, boolean isPublic, ServerUser owner) {

    public boolean isPersonal() {
        return owner != null;
    }

    public String type() {
        return isPersonal() ? "PERSONAL" : "NORMAL";
    }
}
