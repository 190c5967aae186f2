package org.soilobs.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.soilobs.model.Field;
import org.soilobs.model.Sensor;
import org.soilobs.reference.Country;
import org.soilobs.reference.FieldRegistrar;
import org.soilobs.reference.ReferenceData;

/**
 * A simulated fleet of fields, one gateway and one probe each, generated deterministically from a seed:
 * the same seed and field count give the same fleet on every machine.
 *
 * <p>Fields go round-robin over {@link #COUNTRIES}, so any fleet of at least 40 fields spans every
 * listed country and the first few fields already span all five M49 regions. Each field is a random
 * point in its country's largest polygon (its mainland), below 60° of latitude wherever the country
 * reaches there (where farming is), and is registered through {@link FieldRegistrar}, so its
 * placement is the locator's; a point the locator gives to another country is drawn again.
 */
public final class Fleet {

    /**
     * Agricultural countries, interleaved by M49 region (Europe, Americas, Asia, Africa, Oceania) so a
     * small fleet still spans every continent.
     */
    public static final List<String> COUNTRIES = List.of(
            "FRA", "USA", "IND", "NGA", "AUS",
            "DEU", "BRA", "CHN", "KEN", "NZL",
            "ESP", "ARG", "IDN", "ETH", "PNG",
            "ITA", "CAN", "PAK", "TZA",
            "POL", "MEX", "BGD", "ZAF",
            "UKR", "COL", "THA", "EGY",
            "GBR", "CHL", "VNM", "MAR",
            "ROU", "PER", "JPN", "GHA",
            "RUS", "TUR", "SWE", "IRN", "KAZ");

    public static final String PROBE_MODEL = "soilobs-probe-1";
    public static final int DEPTH_CM = 30;
    /**
     * The true relative SOC trends a field is given, per year: +8 ‰ (carbon farming), +4 ‰ (the
     * "4 per 1000" target), stable, −3 ‰ (a slowly depleting arable soil).
     */
    public static final List<Double> SOC_TRENDS = List.of(0.008, 0.004, 0.0, -0.003);
    static final List<String> LAND_USES = List.of("cropland", "grassland", "orchard", "vineyard", "agroforestry");

    private static final double FARMING_LATITUDE = 60;
    private static final int MAX_DRAWS = 200_000;
    private static final double COORDINATE_SCALE = 1e5;

    private final long seed;
    private final List<SimulatedField> members;
    private final Map<String, SimulatedField> byId;
    private final Map<String, SimulatedField> bySensor;

    private Fleet(long seed, List<SimulatedField> members) {
        this.seed = seed;
        this.members = List.copyOf(members);
        Map<String, SimulatedField> ids = new LinkedHashMap<>();
        Map<String, SimulatedField> sensors = new HashMap<>();
        for (SimulatedField member : members) {
            ids.put(member.id(), member);
            sensors.put(member.probe().id(), member);
        }
        this.byId = Collections.unmodifiableMap(ids);
        this.bySensor = Collections.unmodifiableMap(sensors);
    }

    /**
     * @throws IllegalArgumentException when {@code fieldCount} is not positive
     */
    public static Fleet generate(long seed, int fieldCount, ReferenceData ref) {
        if (fieldCount < 1) {
            throw new IllegalArgumentException("a fleet has at least one field, asked for " + fieldCount);
        }
        List<Country> countries = COUNTRIES.stream().map(ref::country).flatMap(Optional::stream).toList();
        FieldRegistrar registrar = new FieldRegistrar(ref);
        Map<String, Mainland> mainlands = new HashMap<>();
        Map<String, Integer> perCountry = new HashMap<>();
        List<SimulatedField> members = new ArrayList<>(fieldCount);
        for (int i = 0; i < fieldCount; i++) {
            Country country = countries.get(i % countries.size());
            int number = perCountry.merge(country.iso3(), 1, Integer::sum);
            String suffix = country.iso3().toLowerCase(Locale.ROOT) + String.format(Locale.ROOT, "-%04d", number);
            SplittableRandom random = new SplittableRandom(Noise.key(seed, i));
            Mainland mainland = mainlands.computeIfAbsent(country.iso3(), iso3 -> Mainland.of(country));
            Field field = place(registrar, mainland, country, "f-" + suffix, random);
            String gateway = "gw-" + suffix;
            Sensor probe = new Sensor(field.id() + "-p1", gateway, field.id(), PROBE_MODEL);
            members.add(new SimulatedField(field, gateway, probe, soil(field, random)));
        }
        return new Fleet(seed, members);
    }

    public long seed() {
        return seed;
    }

    public List<SimulatedField> members() {
        return members;
    }

    public List<Field> fields() {
        return members.stream().map(SimulatedField::field).toList();
    }

    /**
     * The fields as they are registered: with the soil texture the simulator gives them
     * ({@link SoilProfile}), so that quality control can check their VWC against saturation (C03).
     */
    public List<Field> registrations() {
        return members.stream().map(member -> {
            SoilProfile soil = SoilProfile.of(seed, member);
            return member.field().withTexture(soil.sand(), soil.clay());
        }).toList();
    }

    public List<Sensor> sensors() {
        return members.stream().map(SimulatedField::probe).toList();
    }

    public List<String> gateways() {
        return members.stream().map(SimulatedField::gateway).toList();
    }

    public Optional<SimulatedField> member(String fieldId) {
        return Optional.ofNullable(byId.get(fieldId));
    }

    public Optional<SimulatedField> memberBySensor(String sensorId) {
        return Optional.ofNullable(bySensor.get(sensorId));
    }

    /** The true soil of a field, for checking what the observatory computes. */
    public Optional<SoilState> soil(String fieldId) {
        return member(fieldId).map(SimulatedField::soil);
    }

    public int size() {
        return members.size();
    }

    private static Field place(FieldRegistrar registrar, Mainland mainland, Country country, String id,
            SplittableRandom random) {
        Envelope box = mainland.sampling();
        for (int draw = 0; draw < MAX_DRAWS; draw++) {
            double lon = snap(box.getMinX() + random.nextDouble() * box.getWidth());
            double lat = snap(box.getMinY() + random.nextDouble() * box.getHeight());
            if (!mainland.covers(lon, lat)) {
                continue;
            }
            double areaHa = Noise.round(1 + random.nextDouble() * 199, 1);
            String landUse = LAND_USES.get(random.nextInt(LAND_USES.size()));
            double bulkDensity = Noise.round(1.1 + random.nextDouble() * 0.5, 2);
            double coarseFraction = Noise.round(random.nextDouble() * 0.2, 2);
            Field field = registrar.register(id, lon, lat, areaHa, landUse, bulkDensity, coarseFraction, DEPTH_CM);
            if (field.placement().country().equals(country.iso3())) {
                return field;
            }
        }
        throw new IllegalStateException("no point of " + country.iso3() + " found for " + id + " in " + MAX_DRAWS
                + " draws");
    }

    /** Five-decimal coordinates (≈ 1 m): what a survey would register. */
    private static double snap(double degrees) {
        return StrictMath.rint(degrees * COORDINATE_SCALE) / COORDINATE_SCALE;
    }

    private static SoilState soil(Field field, SplittableRandom random) {
        double absLat = Math.abs(field.lat());
        // Cooler and wetter soils and permanent cover keep more carbon.
        double landUseBonus = switch (field.landUse()) {
            case "grassland" -> 6;
            case "agroforestry" -> 4;
            case "orchard", "vineyard" -> -2;
            default -> 0;
        };
        double soc = clamp(8 + 0.25 * absLat + landUseBonus + random.nextDouble() * 10, 5, 40);
        double trend = SOC_TRENDS.get(random.nextInt(SOC_TRENDS.size()));
        double ph = 5.0 + random.nextDouble() * 3.0;
        double ec = 0.1 * StrictMath.pow(12, random.nextDouble());
        double vwc = 0.12 + random.nextDouble() * 0.22;
        double temperatureMean = 27 - 0.45 * Math.max(0, absLat - 10);
        // At 0–10 cm the annual wave is damped well below the air's (and snow insulates): about 7 °C
        // at 50° latitude, so that mid-latitude soils freeze only in cold spells, as they do.
        double temperatureAmplitude = 1 + 0.12 * absLat;
        return new SoilState(Noise.round(soc, 2), Noise.round(trend, 5), Noise.round(ph, 2), Noise.round(ec, 3),
                Noise.round(vwc, 3), Noise.round(temperatureMean, 2), Noise.round(temperatureAmplitude, 2));
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    /** A country's largest polygon, prepared, and the part of its envelope where fields are drawn. */
    private record Mainland(PreparedGeometry polygon, Envelope sampling) {

        static Mainland of(Country country) {
            Geometry geometry = country.geometry();
            Polygon largest = null;
            for (int i = 0; i < geometry.getNumGeometries(); i++) {
                Polygon part = (Polygon) geometry.getGeometryN(i);
                if (largest == null || part.getArea() > largest.getArea()) {
                    largest = part;
                }
            }
            Envelope envelope = largest.getEnvelopeInternal();
            Envelope farmed = envelope.intersection(new Envelope(-180, 180, -FARMING_LATITUDE, FARMING_LATITUDE));
            boolean reachesFarmland = !farmed.isNull() && largest.intersects(
                    new GeometryFactory().toGeometry(farmed));
            return new Mainland(PreparedGeometryFactory.prepare(largest), reachesFarmland ? farmed : envelope);
        }

        boolean covers(double lon, double lat) {
            return polygon.covers(polygon.getGeometry().getFactory().createPoint(
                    new Coordinate(lon, lat)));
        }
    }
}
