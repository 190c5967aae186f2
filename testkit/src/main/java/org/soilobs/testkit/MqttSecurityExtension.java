package org.soilobs.testkit;

import java.nio.ByteBuffer;
import java.util.Optional;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker's gate (DESIGN §3), as a HiveMQ extension loaded into the embedded broker:
 * a CONNECT without credentials or with a wrong password is refused, a gateway may publish only to
 * {@code soil/v1/{username}/up} and subscribe to nothing, an ingest identity may only join the shared
 * subscription {@code $share/ingest/soil/v1/+/up}.
 *
 * <p>An MQTT 5 publish to any other topic is answered with PUBACK reason code 0x87 (Not authorized)
 * and not delivered; the gateway stays connected, so its later, rightful messages still flow. A
 * subscription elsewhere gets SUBACK 0x87. The rules are authorizers rather than HiveMQ's default
 * permissions, because a publish denied by default permissions disconnects the client. The
 * authenticated username and role ride on the connection's attribute store, so a client id taken
 * over by another connection never inherits the rights of the first.
 */
final class MqttSecurityExtension implements ExtensionMain {

    static final String INGEST_SUBSCRIPTION = "$share/ingest/soil/v1/+/up";
    private static final String USERNAME = "soilobs.username";
    private static final String ROLE = "soilobs.role";

    private static final Logger LOG = LoggerFactory.getLogger(MqttSecurityExtension.class);

    private final MqttCredentials credentials;

    private MqttSecurityExtension(MqttCredentials credentials) {
        this.credentials = credentials;
    }

    static EmbeddedExtension embedded(MqttCredentials credentials) {
        return EmbeddedExtension.builder()
                .withId("soilobs-mqtt-security")
                .withName("Soil observatory MQTT credentials and ACL")
                .withVersion("1")
                .withAuthor("soilobs")
                .withPriority(1000)
                .withStartPriority(1000)
                .withExtensionMain(new MqttSecurityExtension(credentials))
                .build();
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        Authenticator authenticator = new Authenticator(credentials);
        Authorizer authorizer = new Authorizer();
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
        Services.securityRegistry().setAuthorizerProvider(providerInput -> authorizer);
        LOG.info("MQTT security on: {} gateways, {} ingest identities; anonymous clients refused",
                credentials.gateways().size(), credentials.ingest().size());
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // The registry forgets the provider with the extension.
    }

    private record Authenticator(MqttCredentials credentials) implements SimpleAuthenticator {

        @Override
        public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
            Optional<String> username = input.getConnectPacket().getUserName();
            Optional<ByteBuffer> password = input.getConnectPacket().getPassword();
            String clientId = input.getClientInformation().getClientId();
            if (username.isEmpty() || password.isEmpty()) {
                LOG.info("Refused anonymous MQTT client {}", clientId);
                output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "credentials required");
                return;
            }
            ByteBuffer buffer = password.get().asReadOnlyBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            MqttCredentials.Role role = credentials.authenticate(username.get(), bytes);
            if (role == null) {
                LOG.info("Refused MQTT client {}: bad username or password for {}", clientId, username.get());
                output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad username or password");
                return;
            }
            ConnectionAttributeStore attributes = input.getConnectionInformation().getConnectionAttributeStore();
            attributes.putAsString(USERNAME, username.get());
            attributes.putAsString(ROLE, role.name());
            output.authenticateSuccessfully();
        }
    }

    private static final class Authorizer implements PublishAuthorizer, SubscriptionAuthorizer {

        @Override
        public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
            ConnectionAttributeStore attributes = input.getConnectionInformation().getConnectionAttributeStore();
            Optional<String> username = attributes.getAsString(USERNAME);
            boolean gateway = attributes.getAsString(ROLE).filter(MqttCredentials.Role.GATEWAY.name()::equals).isPresent();
            String topic = input.getPublishPacket().getTopic();
            if (gateway && username.isPresent() && topic.equals("soil/v1/" + username.get() + "/up")) {
                output.authorizeSuccessfully();
            } else {
                output.failAuthorization(AckReasonCode.NOT_AUTHORIZED,
                        "may publish only to soil/v1/" + username.orElse("?") + "/up");
            }
        }

        @Override
        public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
            ConnectionAttributeStore attributes = input.getConnectionInformation().getConnectionAttributeStore();
            boolean ingest = attributes.getAsString(ROLE).filter(MqttCredentials.Role.INGEST.name()::equals).isPresent();
            if (ingest && input.getSubscription().getTopicFilter().equals(INGEST_SUBSCRIPTION)) {
                output.authorizeSuccessfully();
            } else {
                output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "may subscribe only to " + INGEST_SUBSCRIPTION
                        + " as ingest");
            }
        }
    }
}
