package org.soilobs.api.store;

import org.soilobs.model.Level;

/**
 * The version counter of each map layer, bumped by the sink on every write to a level. Entity tags are
 * derived from it.
 */
public interface LayerVersions {

    /**
     * The version as last seen, answered from memory: what a conditional poll is compared with, so that
     * an unchanged layer costs no query. It may lag the table by the refresh interval.
     */
    long current(Level level);

    /**
     * The version in the table now, at the cost of one small query: what a body is rendered at, so that a
     * 200 is never older than the database was when the request came in.
     */
    long latest(Level level);
}
