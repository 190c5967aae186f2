package org.soilobs.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.StringReader;
import java.net.URL;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;

import org.junit.jupiter.api.Test;

class EmbeddedMqttBrokerConfigTest {

    @Test
    void writtenConfigIsValidAgainstTheSchemaShippedInsideHiveMQ() throws Exception {
        URL schema = com.hivemq.embedded.EmbeddedHiveMQ.class.getResource("/config.xsd");
        assertThat(schema).as("config.xsd at the root of the HiveMQ jar").isNotNull();

        var validator = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(schema).newValidator();

        assertThatCode(() -> validator.validate(new StreamSource(new StringReader(EmbeddedMqttBroker.configXml(18830)))))
                .doesNotThrowAnyException();
    }

    @Test
    void tlsConfigIsValidAgainstTheSchemaToo() throws Exception {
        URL schema = com.hivemq.embedded.EmbeddedHiveMQ.class.getResource("/config.xsd");
        var validator = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(schema).newValidator();
        String xml = EmbeddedMqttBroker.configXml(java.nio.file.Path.of("/tmp/broker & co.p12"), "pa<ss", 18831);

        assertThat(xml).contains("<tls-tcp-listener>", "<path>/tmp/broker &amp; co.p12</path>",
                "<password>pa&lt;ss</password>").doesNotContain("<tcp-listener>");
        assertThatCode(() -> validator.validate(new StreamSource(new StringReader(xml)))).doesNotThrowAnyException();
    }

    @Test
    void schemaValidationRejectsAMisspelledElement() throws Exception {
        URL schema = com.hivemq.embedded.EmbeddedHiveMQ.class.getResource("/config.xsd");
        var validator = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(schema).newValidator();
        String misspelled = EmbeddedMqttBroker.configXml(18830).replace("max-queue-size", "max-queued-messages");

        assertThatCode(() -> validator.validate(new StreamSource(new StringReader(misspelled))))
                .hasMessageContaining("max-queued-messages");
    }

    @Test
    void configRaisesTheQueueAndReceiveMaximumAndSwitchesStatisticsOff() {
        String xml = EmbeddedMqttBroker.configXml(18830);

        assertThat(xml).contains("<max-queue-size>1000000</max-queue-size>",
                "<server-receive-maximum>1000</server-receive-maximum>",
                "<bind-address>127.0.0.1</bind-address>", "<port>18830</port>",
                "<anonymous-usage-statistics>\n        <enabled>false</enabled>");
    }
}
