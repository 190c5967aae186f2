package org.soilobs.api.ogc;

import java.util.Map;

/**
 * One feature as served: a GeoJSON geometry already rendered (copied in verbatim), and flat properties
 * (strings, numbers or nulls), so that every client, a GeoPackage writer included, can map them to columns.
 */
record OgcFeature(String id, String geometry, Map<String, Object> properties) {
}
