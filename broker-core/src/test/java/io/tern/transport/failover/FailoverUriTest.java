package io.tern.transport.failover;

import io.tern.jms.TernConnectionFactory;
import jakarta.jms.JMSException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing {@code failover:(...)?options}: the brokers, ActiveMQ's options and their defaults, and bad input. */
class FailoverUriTest {

    @Test
    void defaultsAreActiveMqs() throws Exception {
        FailoverUri u = FailoverUri.parse("failover:(tcp://a:1,tcp://b:2?connectTimeout=500)");
        assertEquals(2, u.uris().size());
        assertEquals("a:1", u.uris().get(0).target());
        assertEquals(Map.of("connectTimeout", "500"), u.uris().get(1).parameters(), "inner options stay inner");
        assertTrue(u.randomize());
        assertEquals(10, u.initialReconnectDelayMillis());
        assertEquals(30_000, u.maxReconnectDelayMillis());
        assertTrue(u.useExponentialBackOff());
        assertEquals(2.0, u.backOffMultiplier());
        assertEquals(-1, u.maxReconnectAttempts());
        assertEquals(-1, u.startupMaxReconnectAttempts());
        assertEquals(-1, u.timeoutMillis());
        assertTrue(u.clientOptions().isEmpty());
    }

    @Test
    void everyOptionIsRead() throws Exception {
        FailoverUri u = FailoverUri.parse("failover://(tcp://a:1)?randomize=false&initialReconnectDelay=5"
                + "&maxReconnectDelay=100&useExponentialBackOff=false&backOffMultiplier=1.5&maxReconnectAttempts=3"
                + "&startupMaxReconnectAttempts=0&timeout=250&jms.prefetch=7&jms.clientID=me");
        assertFalse(u.randomize());
        assertEquals(5, u.initialReconnectDelayMillis());
        assertEquals(100, u.maxReconnectDelayMillis());
        assertFalse(u.useExponentialBackOff());
        assertEquals(1.5, u.backOffMultiplier());
        assertEquals(3, u.maxReconnectAttempts());
        assertEquals(0, u.startupAttemptLimit());
        assertEquals(250, u.timeoutMillis());
        assertEquals(Map.of("jms.prefetch", "7", "jms.clientID", "me"), u.clientOptions());
    }

    @Test
    void aSingleBrokerNeedsNoParentheses() throws Exception {
        FailoverUri u = FailoverUri.parse("failover:tcp://a:1?maxReconnectAttempts=2");
        assertEquals(1, u.uris().size());
        assertEquals(2, u.maxReconnectAttempts());
    }

    @Test
    void startupAttemptsFallBackToMaxReconnectAttempts() throws Exception {
        assertEquals(4, FailoverUri.parse("failover:(tcp://a:1)?maxReconnectAttempts=4").startupAttemptLimit());
        assertEquals(-1, FailoverUri.parse("failover:(tcp://a:1)").startupAttemptLimit());
    }

    @Test
    void backOffGrowsByTheMultiplierUpToTheMaximum() throws Exception {
        FailoverUri u = FailoverUri.parse("failover:(tcp://a:1)?initialReconnectDelay=10&maxReconnectDelay=50");
        assertEquals(10, u.delayBeforePass(1));
        assertEquals(20, u.delayBeforePass(2));
        assertEquals(40, u.delayBeforePass(3));
        assertEquals(50, u.delayBeforePass(4));
        assertEquals(50, u.delayBeforePass(60));
        FailoverUri flat = FailoverUri.parse("failover:(tcp://a:1)?initialReconnectDelay=10&useExponentialBackOff=false");
        assertEquals(10, flat.delayBeforePass(5));
    }

    @Test
    void badValuesNameTheOptionAndWhatItAllows() {
        assertMessage("failover:(tcp://a:1)?randomize=maybe", "randomize='maybe'", "true or false");
        assertMessage("failover:(tcp://a:1)?initialReconnectDelay=0", "initialReconnectDelay", "at least 1");
        assertMessage("failover:(tcp://a:1)?maxReconnectDelay=x", "maxReconnectDelay", "milliseconds");
        assertMessage("failover:(tcp://a:1)?backOffMultiplier=0.5", "backOffMultiplier", "at least 1");
        assertMessage("failover:(tcp://a:1)?maxReconnectAttempts=-2", "maxReconnectAttempts", "-1 (for ever)");
        assertMessage("failover:(tcp://a:1)?startupMaxReconnectAttempts=x", "startupMaxReconnectAttempts", "-1");
        assertMessage("failover:(tcp://a:1)?timeout=-5", "timeout", "-1 (wait for ever)");
        assertMessage("failover:(tcp://a:1)?initialReconnectDelay=100&maxReconnectDelay=50", "maxReconnectDelay",
                "at least as long");
        assertMessage("failover:(tcp://a:1)?speed=fast", "unknown failover option 'speed'", "randomize");
        assertMessage("failover:(tcp://a:1", "no closing ')'", "");
        assertMessage("failover:()", "empty entry", "");
        assertMessage("failover:(tcp://a:1,,tcp://b:2)", "empty entry", "");
        assertMessage("failover:(tcp://a:1?jms.prefetch=5)", "jms.prefetch is a connection factory option", "");
        assertMessage("failover:(failover:(tcp://a:1))", "cannot contain another", "");
        assertMessage("failover:(tcp://a:1)x", "unexpected 'x'", "");
    }

    @Test
    void theFactoryReportsBadOptionsBeforeConnecting() {
        JMSException e = assertThrows(JMSException.class,
                () -> new TernConnectionFactory("failover:(tcp://127.0.0.1:1)?timeout=soon").createConnection());
        assertTrue(e.getMessage().contains("timeout='soon'"), e.getMessage());
        e = assertThrows(JMSException.class,
                () -> new TernConnectionFactory("failover:(tcp://127.0.0.1:1)?jms.prefetch=0").createConnection());
        assertTrue(e.getMessage().contains("jms.prefetch"), e.getMessage());
        e = assertThrows(JMSException.class,
                () -> new TernConnectionFactory("failover:(tcp://127.0.0.1:1)?jms.speed=1").createConnection());
        assertTrue(e.getMessage().contains("jms.speed"), e.getMessage());
    }

    private static void assertMessage(String url, String part, String allowed) {
        JMSException e = assertThrows(JMSException.class, () -> FailoverUri.parse(url), url);
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(e.getMessage().contains(allowed), e.getMessage());
    }
}
