package org.soilobs.api.security;

/** What a bearer token lets its holder do. */
public enum Role {
    /** Reads, without the per-address rate limit. */
    READ,
    /** Reads, and the admin routes (registry writes). */
    ADMIN
}
