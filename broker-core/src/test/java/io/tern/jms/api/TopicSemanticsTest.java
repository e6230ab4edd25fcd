package io.tern.jms.api;

import io.tern.broker.Broker;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.tern.jms.TestTransport.connectionFactory;
import static io.tern.jms.api.ApiTestSupport.ABSENT_TIMEOUT;
import static io.tern.jms.api.ApiTestSupport.RECEIVE_TIMEOUT;
import static io.tern.jms.api.ApiTestSupport.receiveExpected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Publish/subscribe (Jakarta Messaging 3.1, 4.2, 6.11, 8.3): subscriptions of every kind, temporary destinations. */
class TopicSemanticsTest {

    private final ApiTestSupport.Resources resources = new ApiTestSupport.Resources();
    private Broker broker;
    private Connection connection;

    @BeforeEach
    void start() throws JMSException {
        broker = resources.add(ApiTestSupport.startBroker("topic"));
        connection = newConnection();
    }

    @AfterEach
    void closeAll() {
        resources.close();
    }

    private Connection newConnection() throws JMSException {
        return resources.started(connectionFactory(broker).createConnection());
    }

    private Connection newConnection(String clientId) throws JMSException {
        Connection c = resources.add(connectionFactory(broker).createConnection());
        c.setClientID(clientId);
        c.start();
        return c;
    }

    private Session session() throws JMSException {
        return connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    private static void publish(Session s, Topic t, String... texts) throws JMSException {
        MessageProducer p = s.createProducer(t);
        for (String text : texts) {
            p.send(s.createTextMessage(text));
        }
        p.close();
    }

    private static String text(Message m) throws JMSException {
        return ((TextMessage) m).getText();
    }

    private static List<String> drain(MessageConsumer c) throws JMSException {
        List<String> out = new ArrayList<>();
        for (Message m = c.receive(RECEIVE_TIMEOUT); m != null; m = c.receive(ABSENT_TIMEOUT)) {
            out.add(text(m));
        }
        return out;
    }

    @Test
    void everySubscriberGetsEveryMessageInOrder() throws Exception {
        List<MessageConsumer> subscribers = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Session s = newConnection().createSession(false, Session.AUTO_ACKNOWLEDGE);
            subscribers.add(s.createConsumer(s.createTopic("fanout")));
        }
        Session sameSession = session();
        subscribers.add(sameSession.createConsumer(sameSession.createTopic("fanout")));
        subscribers.add(sameSession.createConsumer(sameSession.createTopic("fanout")));
        Session ps = session();
        MessageProducer p = ps.createProducer(ps.createTopic("fanout"));
        for (int i = 0; i < 50; i++) {
            Message m = ps.createMessage();
            m.setIntProperty("i", i);
            p.send(m, i % 2 == 0 ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT, 4, 0);
        }
        for (MessageConsumer c : subscribers) {
            for (int i = 0; i < 50; i++) {
                assertEquals(i, receiveExpected(c).getIntProperty("i"));
            }
            assertNull(c.receiveNoWait());
        }
    }

    @Test
    void subscriberCreatedAfterAPublishDoesNotGetIt() throws Exception {
        Session s = session();
        Topic t = s.createTopic("late");
        publish(s, t, "before");
        MessageConsumer late = s.createConsumer(t);
        assertNull(late.receive(ABSENT_TIMEOUT));
        publish(s, t, "after");
        assertEquals(List.of("after"), drain(late));
    }

    @Test
    void topicWithoutSubscribersKeepsNothing() throws Exception {
        Session s = session();
        Topic t = s.createTopic("nobody");
        publish(s, t, "lost-1", "lost-2");
        assertEquals(0, broker.queueDepth("nobody"), "a topic is not a queue");
        assertNull(s.createConsumer(t).receive(ABSENT_TIMEOUT));
    }

    @Test
    void noLocalSubscriberIgnoresItsOwnConnection() throws Exception {
        Session mine = session();
        Topic t = mine.createTopic("no-local");
        MessageConsumer noLocal = mine.createConsumer(t, null, true);
        MessageConsumer everything = mine.createConsumer(t);
        Session others = newConnection().createSession(false, Session.AUTO_ACKNOWLEDGE);
        publish(mine, t, "own");
        publish(others, t, "foreign");
        assertEquals(List.of("foreign"), drain(noLocal));
        assertEquals(List.of("own", "foreign"), drain(everything));
    }

    // ------------------------------------------------------------------ durable subscriptions

    @Test
    void durableSubscriptionKeepsMessagesWhileDisconnected() throws Exception {
        Connection c1 = newConnection("durable-client");
        Session s1 = c1.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic t = s1.createTopic("durable");
        TopicSubscriber sub = s1.createDurableSubscriber(t, "sub");
        assertEquals(t, sub.getTopic());
        Session publisher = session();
        publish(publisher, t, "while-active");
        assertEquals("while-active", text(receiveExpected(sub)));
        sub.close();
        c1.close();

        MessageProducer p = publisher.createProducer(t);
        p.send(publisher.createTextMessage("offline-1"));
        p.send(publisher.createTextMessage("offline-2"), DeliveryMode.NON_PERSISTENT, 4, 0);
        p.send(publisher.createTextMessage("offline-3"));

        Connection c2 = newConnection("durable-client");
        Session s2 = c2.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer again = s2.createDurableSubscriber(t, "sub");
        assertEquals(List.of("offline-1", "offline-2", "offline-3"), drain(again));
    }

    @Test
    void durableConsumerOfJms2KeepsMessagesToo() throws Exception {
        Connection c1 = newConnection("durable-2");
        Session s1 = c1.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic t = s1.createTopic("durable-jms2");
        s1.createDurableConsumer(t, "sub2").close();
        publish(session(), t, "kept");
        MessageConsumer again = s1.createDurableConsumer(t, "sub2");
        assertEquals(List.of("kept"), drain(again));
    }

    @Test
    void unsubscribeWhileActiveIsIllegalStateAndAfterwardsNothingIsKept() throws Exception {
        Connection c = newConnection("unsub-client");
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic t = s.createTopic("unsubscribe");
        TopicSubscriber sub = s.createDurableSubscriber(t, "sub");
        assertThrows(IllegalStateException.class, () -> s.unsubscribe("sub"));
        sub.close();
        publish(session(), t, "before-unsubscribe");
        s.unsubscribe("sub");
        publish(session(), t, "after-unsubscribe");

        MessageConsumer fresh = s.createDurableSubscriber(t, "sub");
        assertNull(fresh.receive(ABSENT_TIMEOUT), "a new subscription starts empty");
        publish(session(), t, "new");
        assertEquals(List.of("new"), drain(fresh));
    }

    @Test
    void unsubscribeOfAnUnknownNameIsInvalidDestination() throws Exception {
        Connection c = newConnection("unknown-unsub");
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThrows(InvalidDestinationException.class, () -> s.unsubscribe("never-created"));
    }

    @Test
    void unsharedDurableSubscriptionNeedsAClientId() throws Exception {
        Session s = session();
        assertThrows(JMSException.class, () -> s.createDurableSubscriber(s.createTopic("no-client-id"), "sub"));
    }

    @Test
    void unsharedDurableSubscriptionHasOneActiveConsumerAtATime() throws Exception {
        Connection c = newConnection("single-active");
        Session s1 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Session s2 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic t = s1.createTopic("single-active");
        MessageConsumer first = s1.createDurableSubscriber(t, "sub");
        assertThrows(IllegalStateException.class, () -> s2.createDurableSubscriber(t, "sub"));
        first.close();
        assertNotNull(s2.createDurableSubscriber(t, "sub"));
    }

    @Test
    void durableSubscriptionWithASelector() throws Exception {
        Connection c = newConnection("durable-selector");
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic t = s.createTopic("durable-selector");
        s.createDurableSubscriber(t, "reds", "color = 'red'", false).close();
        Session ps = session();
        MessageProducer p = ps.createProducer(t);
        for (String color : new String[] {"red", "blue", "red"}) {
            TextMessage m = ps.createTextMessage(color);
            m.setStringProperty("color", color);
            p.send(m);
        }
        assertEquals(List.of("red", "red"), drain(s.createDurableSubscriber(t, "reds", "color = 'red'", false)));
    }

    @Test
    void unacknowledgedDurableMessagesComeBack() throws Exception {
        Connection c = newConnection("durable-ack");
        Session client = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Topic t = client.createTopic("durable-ack");
        MessageConsumer sub = client.createDurableSubscriber(t, "sub");
        publish(session(), t, "a", "b");
        receiveExpected(sub);
        receiveExpected(sub);
        client.close();
        Session again = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer sub2 = again.createDurableSubscriber(t, "sub");
        Message a = receiveExpected(sub2);
        assertEquals("a", text(a));
        assertTrue(a.getJMSRedelivered());
        assertEquals("b", text(receiveExpected(sub2)));
    }

    @Test
    void durableNoLocalDropsMessagesOfConnectionsWithTheSameClientId() throws Exception {
        Connection mine = newConnection("no-local-durable");
        Session s = mine.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic t = s.createTopic("durable-no-local");
        s.createDurableSubscriber(t, "sub", null, true).close();
        publish(s, t, "own");
        publish(session(), t, "other");
        assertEquals(List.of("other"), drain(s.createDurableSubscriber(t, "sub", null, true)));
    }

    @Test
    void durableSubscriptionWithANewSelectorReplacesTheOldOne() throws Exception {
        Connection c = newConnection("durable-reselect");
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic t = s.createTopic("durable-reselect");
        s.createDurableSubscriber(t, "sub", "color = 'red'", false).close();
        Session ps = session();
        MessageProducer p = ps.createProducer(t);
        TextMessage red = ps.createTextMessage("red-before");
        red.setStringProperty("color", "red");
        p.send(red);
        // Same name, another selector, no active consumer: the old subscription and its messages go.
        MessageConsumer blue = s.createDurableSubscriber(t, "sub", "color = 'blue'", false);
        assertNull(blue.receive(ABSENT_TIMEOUT));
        TextMessage b = ps.createTextMessage("blue-after");
        b.setStringProperty("color", "blue");
        p.send(b);
        assertEquals(List.of("blue-after"), drain(blue));
    }

    @Test
    void durableSubscriptionNamedOnAnotherTopicReplacesTheOldOne() throws Exception {
        // Spec (Session.createDurableConsumer): same name and client ID with a different topic, and no active
        // consumer, is equivalent to unsubscribing the old subscription and creating a new one.
        Connection c = newConnection("durable-move");
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic a = s.createTopic("durable-move-a");
        Topic b = s.createTopic("durable-move-b");
        s.createDurableSubscriber(a, "sub").close();
        publish(session(), a, "a-1");
        s.createDurableSubscriber(b, "sub").close(); // replaces the subscription on a
        publish(session(), a, "a-2");
        publish(session(), b, "b-1");
        MessageConsumer onA = s.createDurableSubscriber(a, "sub"); // replaces the one on b
        assertNull(onA.receive(ABSENT_TIMEOUT), "the subscription on topic a was replaced; its messages are gone");
        onA.close();
        s.unsubscribe("sub");
        assertThrows(InvalidDestinationException.class, () -> s.unsubscribe("sub"),
                "only one subscription of that name can exist for a client ID");
    }

    @Test
    void durableSubscriptionInUseCannotBeOpenedOnAnotherTopic() throws Exception {
        Connection c = newConnection("durable-in-use");
        Session s1 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Session s2 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s1.createDurableSubscriber(s1.createTopic("in-use-a"), "sub");
        assertThrows(JMSException.class, () -> s2.createDurableSubscriber(s2.createTopic("in-use-b"), "sub"));
    }

    @Test
    void sharedAndUnsharedDurableSubscriptionsCannotShareANameAndClientId() throws Exception {
        Connection c = newConnection("shared-vs-unshared");
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic t = s.createTopic("shared-vs-unshared");
        s.createDurableConsumer(t, "name").close();
        assertThrows(JMSException.class, () -> s.createSharedDurableConsumer(t, "name"));
        s.unsubscribe("name");
        s.createSharedDurableConsumer(t, "other").close();
        assertThrows(JMSException.class, () -> s.createDurableConsumer(t, "other"));
    }

    // ------------------------------------------------------------------ shared subscriptions

    @Test
    void sharedConsumersSplitTheMessagesOfTheirSubscription() throws Exception {
        Topic t = session().createTopic("shared");
        Session a = newConnection().createSession(false, Session.AUTO_ACKNOWLEDGE);
        Session b = newConnection().createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer sharedA = a.createSharedConsumer(t, "workers");
        MessageConsumer sharedB = b.createSharedConsumer(t, "workers");
        Session plainSession = session();
        MessageConsumer plain = plainSession.createConsumer(t);
        Session ps = session();
        MessageProducer p = ps.createProducer(t);
        for (int i = 0; i < 20; i++) {
            Message m = ps.createMessage();
            m.setIntProperty("i", i);
            p.send(m);
        }
        Set<Integer> fromA = collect(sharedA);
        Set<Integer> fromB = collect(sharedB);
        assertTrue(!fromA.isEmpty() && !fromB.isEmpty(), "both shared consumers get some: " + fromA + " " + fromB);
        Set<Integer> union = new HashSet<>(fromA);
        union.addAll(fromB);
        assertEquals(20, union.size(), "every message once");
        assertEquals(20, fromA.size() + fromB.size(), "no message twice");
        assertEquals(20, collect(plain).size(), "other subscriptions still get everything");
    }

    @Test
    void sharedDurableSubscriptionOutlivesItsConsumers() throws Exception {
        Session s = session();
        Topic t = s.createTopic("shared-durable");
        s.createSharedDurableConsumer(t, "archive").close();
        publish(session(), t, "kept-1", "kept-2");
        Session other = newConnection().createSession(false, Session.AUTO_ACKNOWLEDGE);
        assertEquals(List.of("kept-1", "kept-2"), drain(other.createSharedDurableConsumer(t, "archive")));
    }

    @Test
    void sharedConsumerWithAnotherSelectorOnAnActiveSubscriptionIsRefused() throws Exception {
        Session s = session();
        Topic t = s.createTopic("shared-selector");
        s.createSharedConsumer(t, "workers", "kind = 'a'");
        Session other = session();
        assertThrows(JMSException.class, () -> other.createSharedConsumer(t, "workers", "kind = 'b'"));
        assertThrows(JMSException.class, () -> other.createSharedConsumer(t, "workers"));
        assertNotNull(other.createSharedConsumer(t, "workers", "kind = 'a'"), "the same selector joins");
    }

    @Test
    void sharedConsumerOnAnotherTopicOfAnActiveSubscriptionIsRefused() throws Exception {
        Session s = session();
        s.createSharedConsumer(s.createTopic("shared-topic-a"), "workers");
        Session other = session();
        assertThrows(JMSException.class, () -> other.createSharedConsumer(other.createTopic("shared-topic-b"),
                "workers"));
    }

    @Test
    void sharedDurableConsumerOnAnotherTopicOfAnActiveSubscriptionIsRefused() throws Exception {
        Session s = session();
        s.createSharedDurableConsumer(s.createTopic("shared-durable-a"), "archive");
        Session other = session();
        assertThrows(JMSException.class, () -> other.createSharedDurableConsumer(other.createTopic("shared-durable-b"),
                "archive"));
        assertThrows(JMSException.class, () -> other.createSharedDurableConsumer(s.createTopic("shared-durable-a"),
                "archive", "x = 1"));
    }

    @Test
    void sharedSubscriptionsOfDifferentClientIdsAreDifferent() throws Exception {
        Connection a = newConnection("shared-client-a");
        Connection b = newConnection("shared-client-b");
        Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic t = sa.createTopic("shared-by-client");
        MessageConsumer ca = sa.createSharedConsumer(t, "same-name");
        MessageConsumer cb = sb.createSharedConsumer(t, "same-name");
        publish(session(), t, "to both");
        assertEquals(List.of("to both"), drain(ca));
        assertEquals(List.of("to both"), drain(cb));
    }

    private static Set<Integer> collect(MessageConsumer c) throws JMSException {
        Set<Integer> out = new HashSet<>();
        for (Message m = c.receive(RECEIVE_TIMEOUT); m != null; m = c.receive(ABSENT_TIMEOUT)) {
            out.add(m.getIntProperty("i"));
        }
        return out;
    }

    // ------------------------------------------------------------------ temporary destinations

    @Test
    void temporaryQueueWorksForItsConnectionAndOthersMaySendToIt() throws Exception {
        Session s = session();
        TemporaryQueue tq = s.createTemporaryQueue();
        assertNotNull(tq.getQueueName());
        MessageConsumer c = s.createConsumer(tq);
        Session other = newConnection().createSession(false, Session.AUTO_ACKNOWLEDGE);
        other.createProducer(tq).send(other.createTextMessage("from another connection"));
        assertEquals("from another connection", text(receiveExpected(c)));
        assertThrows(InvalidDestinationException.class, () -> other.createConsumer(tq),
                "only the connection that created a temporary queue may consume from it");
    }

    @Test
    void temporaryQueueCannotBeDeletedWhileItHasAConsumer() throws Exception {
        Session s = session();
        TemporaryQueue tq = s.createTemporaryQueue();
        MessageConsumer c = s.createConsumer(tq);
        assertThrows(JMSException.class, tq::delete);
        c.close();
        tq.delete();
        MessageProducer anonymous = s.createProducer(null);
        assertThrows(InvalidDestinationException.class, () -> anonymous.send(tq, s.createTextMessage("x")));
        assertThrows(InvalidDestinationException.class, () -> s.createConsumer(tq));
    }

    @Test
    void temporaryQueueIsDeletedWhenItsConnectionCloses() throws Exception {
        Connection owner = newConnection();
        TemporaryQueue tq = owner.createSession(false, Session.AUTO_ACKNOWLEDGE).createTemporaryQueue();
        Session other = session();
        other.createProducer(tq).send(other.createTextMessage("before"));
        owner.close();
        assertThrows(InvalidDestinationException.class, () -> other.createProducer(tq));
        MessageProducer anonymous = other.createProducer(null);
        assertThrows(InvalidDestinationException.class, () -> anonymous.send(tq, other.createTextMessage("after")));
    }

    @Test
    void temporaryTopicRules() throws Exception {
        Session s = session();
        TemporaryTopic tt = s.createTemporaryTopic();
        assertNotNull(tt.getTopicName());
        MessageConsumer c = s.createConsumer(tt);
        Session other = newConnection().createSession(false, Session.AUTO_ACKNOWLEDGE);
        other.createProducer(tt).send(other.createTextMessage("hello"));
        assertEquals("hello", text(receiveExpected(c)));
        assertThrows(InvalidDestinationException.class, () -> other.createConsumer(tt));
        assertThrows(JMSException.class, tt::delete);
        c.close();
        tt.delete();
        assertThrows(InvalidDestinationException.class, () -> other.createProducer(tt));
    }

    @Test
    void temporaryDestinationsAreDistinct() throws Exception {
        Session s = session();
        TemporaryQueue a = s.createTemporaryQueue();
        TemporaryQueue b = s.createTemporaryQueue();
        assertTrue(!a.getQueueName().equals(b.getQueueName()));
        s.createProducer(a).send(s.createTextMessage("for a"));
        assertNull(s.createConsumer(b).receive(ABSENT_TIMEOUT));
        assertEquals("for a", text(receiveExpected(s.createConsumer(a))));
    }

    @Test
    void requestReplyThroughATemporaryQueue() throws Exception {
        Connection serverConnection = newConnection();
        Session server = serverConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer replier = server.createProducer(null);
        server.createConsumer(server.createQueue("requests")).setMessageListener(request -> {
            try {
                Destination replyTo = request.getJMSReplyTo();
                TextMessage reply = server.createTextMessage("echo " + text(request));
                reply.setJMSCorrelationID(request.getJMSMessageID());
                replier.send(replyTo, reply);
            } catch (JMSException e) {
                throw new RuntimeException(e);
            }
        });

        Session client = session();
        TemporaryQueue replies = client.createTemporaryQueue();
        MessageConsumer replyConsumer = client.createConsumer(replies);
        MessageProducer requester = client.createProducer(client.createQueue("requests"));
        for (int i = 0; i < 3; i++) {
            TextMessage request = client.createTextMessage("ping " + i);
            request.setJMSReplyTo(replies);
            requester.send(request);
            Message reply = receiveExpected(replyConsumer);
            assertEquals("echo ping " + i, text(reply));
            assertEquals(request.getJMSMessageID(), reply.getJMSCorrelationID());
            assertInstanceOf(Queue.class, reply.getJMSDestination());
        }
    }

    @Test
    void temporaryQueueOutlivesItsSessionAndServesOtherSessionsOfItsConnection() throws Exception {
        Session creator = session();
        TemporaryQueue tq = creator.createTemporaryQueue();
        creator.close();
        Session other = session();
        MessageConsumer c = other.createConsumer(tq);
        other.createProducer(tq).send(other.createTextMessage("still there"));
        assertEquals("still there", text(receiveExpected(c)));
    }

    @Test
    void queueRequestorAndTopicRequestorWork() throws Exception {
        // Responders on another connection echo the text to JMSReplyTo.
        Connection responderConnection = newConnection();
        Session responder = responderConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer replies = responder.createProducer(null);
        jakarta.jms.MessageListener echo = request -> {
            try {
                replies.send(request.getJMSReplyTo(), responder.createTextMessage("re: " + text(request)));
            } catch (JMSException e) {
                throw new RuntimeException(e);
            }
        };
        responder.createConsumer(responder.createQueue("requestor-queue")).setMessageListener(echo);
        Session topicResponder = responderConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        topicResponder.createConsumer(topicResponder.createTopic("requestor-topic")).setMessageListener(echo);

        jakarta.jms.QueueConnection qc = resources.add(
                connectionFactory(broker).createQueueConnection());
        qc.start();
        jakarta.jms.QueueSession qs = qc.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
        jakarta.jms.QueueRequestor qr = new jakarta.jms.QueueRequestor(qs, qs.createQueue("requestor-queue"));
        assertEquals("re: q", text(qr.request(qs.createTextMessage("q"))));
        qr.close();

        jakarta.jms.TopicConnection tc = resources.add(
                connectionFactory(broker).createTopicConnection());
        tc.start();
        jakarta.jms.TopicSession ts = tc.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
        jakarta.jms.TopicRequestor tr = new jakarta.jms.TopicRequestor(ts, ts.createTopic("requestor-topic"));
        assertEquals("re: t", text(tr.request(ts.createTextMessage("t"))));
        tr.close();
    }

    @Test
    void replyToSurvivesTheTripAsTheSameDestination() throws Exception {
        Session s = session();
        Queue q = s.createQueue("reply-to-header");
        TemporaryQueue tq = s.createTemporaryQueue();
        Topic topic = s.createTopic("reply-topic");
        MessageProducer p = s.createProducer(q);
        Message m1 = s.createMessage();
        m1.setJMSReplyTo(tq);
        p.send(m1);
        Message m2 = s.createMessage();
        m2.setJMSReplyTo(topic);
        p.send(m2);
        MessageConsumer c = s.createConsumer(q);
        Destination r1 = receiveExpected(c).getJMSReplyTo();
        assertInstanceOf(TemporaryQueue.class, r1);
        assertEquals(tq.getQueueName(), ((TemporaryQueue) r1).getQueueName());
        assertEquals(tq, r1);
        Destination r2 = receiveExpected(c).getJMSReplyTo();
        assertEquals(topic, r2);
    }
}
