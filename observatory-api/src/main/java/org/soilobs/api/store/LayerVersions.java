package org.soilobs.api.store;

import org.soilobs.model.Level;

/**
 * The version counter of each map layer, bumped by the sink on every write to a level. Entity tags are
 * derived from it, so whatever answers here decides how cheap a 304 is: reading the table now; a copy
 * kept current by notifications later, to answer without touching the database.
 */
public interface LayerVersions {

    long current(Level level);
}
