package org.soilobs.sim;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.soilobs.model.Json;
import org.soilobs.model.Sensor;

/**
 * Writes the ground truth as JSON lines: first one {@code "type":"field"} line per field (where it is,
 * its soil, its true SOC trend, its gateway's format and device identity), then one
 * {@code "type":"reading"} line per reading sent or swallowed, in publishing order (see
 * docs/simulator.md for the columns). Field order is fixed, so the same run gives the same bytes.
 */
public final class GroundTruthWriter implements AutoCloseable {

    private final JsonGenerator json;
    private long rows;

    public GroundTruthWriter(OutputStream out) {
        try {
            this.json = Json.mapper().getFactory().createGenerator(new BufferedOutputStream(out, 1 << 16));
            json.setRootValueSeparator(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void fields(Traffic traffic, ReadingGenerator generator) {
        Fleet fleet = traffic.fleet();
        try {
            for (int i = 0; i < fleet.size(); i++) {
                SimulatedField member = fleet.members().get(i);
                SoilProfile soil = generator.profile(member);
                WireFormat format = traffic.format(i);
                Sensor sensor = format.registeredSensor(member);
                json.writeStartObject();
                json.writeStringField("type", "field");
                json.writeStringField("field", member.id());
                json.writeStringField("gateway", member.gateway());
                json.writeStringField("sensor", sensor.id());
                json.writeStringField("sensor_gateway", sensor.gateway());
                json.writeStringField("model", sensor.model());
                json.writeStringField("format", format.id());
                json.writeStringField("dev_eui", WireFormat.devEui(member.probe().id()));
                json.writeStringField("country", member.field().placement().country());
                json.writeNumberField("lon", member.field().lon());
                json.writeNumberField("lat", member.field().lat());
                json.writeNumberField("area_ha", member.field().areaHa());
                json.writeStringField("land_use", member.field().landUse());
                json.writeNumberField("soc_g_kg_2020", member.soil().socMean());
                json.writeNumberField("soc_trend_per_year", member.soil().socTrendPerYear());
                json.writeNumberField("sand", soil.sand());
                json.writeNumberField("silt", soil.silt());
                json.writeNumberField("clay", soil.clay());
                json.writeNumberField("bulk_density", soil.bulkDensity());
                json.writeNumberField("coarse_fraction", soil.coarseFraction());
                json.writeNumberField("saturation", soil.saturation());
                json.writeNumberField("field_capacity", soil.fieldCapacity());
                json.writeNumberField("wilting_point", soil.wiltingPoint());
                json.writeNumberField("soc_stock_t_ha_2020", Noise.round(soil.socStockTonnesPerHa(
                        member.field().depthCm()), 2));
                json.writeEndObject();
                json.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ground truth", e);
        }
    }

    public synchronized void readings(List<TruthRow> truth) {
        try {
            for (TruthRow row : truth) {
                json.writeStartObject();
                json.writeStringField("type", "reading");
                json.writeStringField("gateway", row.gateway());
                json.writeNumberField("seq", row.seq());
                json.writeStringField("format", row.format().id());
                json.writeStringField("sensor", row.sensor());
                json.writeStringField("field", row.field());
                json.writeStringField("quantity", row.quantity());
                json.writeStringField("time", row.time().toString());
                json.writeNumberField("value", row.value());
                json.writeArrayFieldStart("faults");
                for (String fault : row.faults()) {
                    json.writeString(fault);
                }
                json.writeEndArray();
                json.writeStringField("fate", row.fate());
                json.writeStringField("code", row.code());
                json.writeEndObject();
                json.writeRaw('\n');
                rows++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ground truth", e);
        }
    }

    /** Reading lines written so far. */
    public synchronized long rows() {
        return rows;
    }

    @Override
    public synchronized void close() {
        try {
            json.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the ground truth", e);
        }
    }
}
