package org.soilobs.sim;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Where {@code sensor-sim register} registers the fleet: the observatory API's base URL, an admin bearer
 * token (one of the API's {@code OBS_API_ADMIN_TOKENS}) and how long to keep trying while the API starts.
 *
 * @param api base URL, e.g. {@code http://api-1:8080}
 * @param token the admin bearer token; never logged
 * @param patience how long to retry an API that does not answer (or answers 502/503/504) before giving up
 */
public record RegisterConfig(URI api, String token, Duration patience) {

    public static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);

    public RegisterConfig {
        if (api == null || api.getHost() == null
                || !("http".equals(api.getScheme()) || "https".equals(api.getScheme()))) {
            throw new IllegalArgumentException("OBS_SIM_API_URL must look like http://host:8080, was " + api);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("OBS_SIM_API_TOKEN must be set to one of the API's admin tokens "
                    + "(OBS_API_ADMIN_TOKENS)");
        }
        if (patience == null || patience.isNegative()) {
            throw new IllegalArgumentException("OBS_SIM_API_WAIT must be a non-negative duration, was " + patience);
        }
    }

    /**
     * @throws IllegalArgumentException naming the variable that is missing or malformed
     */
    public static RegisterConfig fromEnv(Map<String, String> env) {
        String url = env.get("OBS_SIM_API_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("register needs the API: --api http://host:8080 (OBS_SIM_API_URL)");
        }
        URI api;
        try {
            api = new URI(url.strip().replaceFirst("/+$", ""));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("OBS_SIM_API_URL is not a URI: " + url, e);
        }
        Duration wait;
        try {
            String text = env.get("OBS_SIM_API_WAIT");
            wait = text == null || text.isBlank() ? DEFAULT_WAIT : Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("OBS_SIM_API_WAIT must be an ISO-8601 duration like PT5M", e);
        }
        return new RegisterConfig(api, env.get("OBS_SIM_API_TOKEN"), wait);
    }

    @Override
    public String toString() {
        return "RegisterConfig[api=" + api + ", token=***, patience=" + patience + "]";
    }
}
