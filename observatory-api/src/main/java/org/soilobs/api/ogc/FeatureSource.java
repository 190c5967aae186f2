package org.soilobs.api.ogc;

import java.util.List;
import java.util.Optional;

/** Where the features of one collection come from. */
interface FeatureSource {

    /** One page of the features that pass the query's filters, in a stable order, and how many pass. */
    Page items(ItemsQuery query);

    Optional<OgcFeature> item(String id);

    record Page(List<OgcFeature> features, long matched) {
    }
}
