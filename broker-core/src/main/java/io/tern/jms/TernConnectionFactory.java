package io.tern.jms;

import io.tern.transport.BrokerConnection;
import io.tern.transport.DeliveryListener;
import io.tern.transport.TransportUri;
import io.tern.transport.failover.FailoverBrokerConnection;
import io.tern.transport.failover.FailoverUri;
import io.tern.transport.tcp.TcpBrokerConnection;
import io.tern.transport.vm.VmTransport;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Creates connections to a Tern broker.
 *
 * <pre>{@code
 * ConnectionFactory cf = new TernConnectionFactory("vm://orders");                 // a broker in this JVM
 * ConnectionFactory cf = new TernConnectionFactory("vm://test?create=true&broker.persistent=false");
 * ConnectionFactory cf = new TernConnectionFactory("tcp://broker-host:61616");        // over the network
 * ConnectionFactory cf = new TernConnectionFactory(
 *         "failover:(tcp://master:61616,tcp://slave:61616)?randomize=false");            // survives a lost broker
 * }</pre>
 *
 * <p>URL options for the client: {@code jms.prefetch} (messages a consumer buffers, default 1000) and
 * {@code jms.clientID}. The same can be set with bean setters, which suits Spring configuration.
 * Thread-safe once configured; each {@code createConnection} makes an independent connection.
 */
public class TernConnectionFactory implements ConnectionFactory, QueueConnectionFactory, TopicConnectionFactory,
        Serializable {

    private static final long serialVersionUID = 1L;

    /** Messages a consumer may buffer ahead of the application, unless configured otherwise. */
    public static final int DEFAULT_PREFETCH = 1000;

    private volatile String brokerURL;
    private volatile String clientID;
    private volatile int prefetch = DEFAULT_PREFETCH;
    private transient volatile TransportListener transportListener;

    public TernConnectionFactory() {
        this("vm://tern");
    }

    public TernConnectionFactory(String brokerURL) {
        this.brokerURL = brokerURL;
    }

    public String getBrokerURL() {
        return brokerURL;
    }

    public void setBrokerURL(String brokerURL) {
        this.brokerURL = brokerURL;
    }

    public String getClientID() {
        return clientID;
    }

    /** A client ID every connection of this factory claims (so only one may be open at a time). */
    public void setClientID(String clientID) {
        this.clientID = clientID;
    }

    public int getPrefetch() {
        return prefetch;
    }

    /** How many messages each consumer may buffer ahead of the application (at least 1). */
    public void setPrefetch(int prefetch) {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, was " + prefetch);
        }
        this.prefetch = prefetch;
    }

    public TransportListener getTransportListener() {
        return transportListener;
    }

    /**
     * A listener every connection of this factory is given, told when a {@code failover:} connection loses its
     * broker and when it is back (see {@link TransportListener}). Not serialized with the factory.
     */
    public void setTransportListener(TransportListener transportListener) {
        this.transportListener = transportListener;
    }

    @Override
    public Connection createConnection() throws JMSException {
        return open();
    }

    /** User name and password are accepted and ignored: this version has no authentication. */
    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return open();
    }

    @Override
    public QueueConnection createQueueConnection() throws JMSException {
        return open();
    }

    @Override
    public QueueConnection createQueueConnection(String userName, String password) throws JMSException {
        return open();
    }

    @Override
    public TopicConnection createTopicConnection() throws JMSException {
        return open();
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        return open();
    }

    @Override
    public JMSContext createContext() {
        return createContext(JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return createContext(JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        return createContext(sessionMode);
    }

    /**
     * A context on a new connection. The mode is checked before connecting, so an invalid one fails with
     * a {@code JMSRuntimeException} that names the allowed values and opens nothing.
     */
    @Override
    public JMSContext createContext(int sessionMode) {
        TernJMSContext.checkSessionMode(sessionMode);
        try {
            return new TernJMSContext(new SharedContextConnection(open()), sessionMode);
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    /** The connection object to open: plain here, XA-capable in {@link TernXAConnectionFactory}. */
    TernConnection newConnection(int prefetch) {
        return new TernConnection(prefetch);
    }

    TernConnection open() throws JMSException {
        if (FailoverUri.isFailover(brokerURL)) {
            return openFailover(FailoverUri.parse(brokerURL));
        }
        TransportUri uri = TransportUri.parse(brokerURL);
        Map<String, String> transportParameters = new LinkedHashMap<>(uri.parameters());
        int connectionPrefetch = prefetch;
        String connectionClientId = clientID;
        String p = transportParameters.remove("jms.prefetch");
        if (p != null) {
            connectionPrefetch = parsePrefetch(p);
        }
        String c = transportParameters.remove("jms.clientID");
        if (c != null) {
            connectionClientId = c;
        }
        TransportUri transportUri = new TransportUri(uri.text(), uri.scheme(), uri.target(), transportParameters);
        TernConnection connection = newConnection(connectionPrefetch);
        connection.attach(connect(transportUri, connection.deliveryListener()));
        return configure(connection, connectionClientId);
    }

    private int parsePrefetch(String p) throws JMSException {
        int n;
        try {
            n = Integer.parseInt(p);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) {
            throw new JMSException("broker URL '" + brokerURL + "': jms.prefetch='" + p
                    + "' is not a whole number of at least 1");
        }
        return n;
    }

    /** A failover connection: the {@code jms.*} options follow the list of brokers, the rest is failover's. */
    private TernConnection openFailover(FailoverUri uri) throws JMSException {
        Map<String, String> options = new LinkedHashMap<>(uri.clientOptions());
        int connectionPrefetch = prefetch;
        String connectionClientId = clientID;
        String p = options.remove("jms.prefetch");
        if (p != null) {
            connectionPrefetch = parsePrefetch(p);
        }
        String c = options.remove("jms.clientID");
        if (c != null) {
            connectionClientId = c;
        }
        if (!options.isEmpty()) {
            throw new JMSException("broker URL '" + brokerURL + "': unknown option '" + options.keySet().iterator().next()
                    + "'; the connection factory accepts jms.prefetch and jms.clientID");
        }
        TernConnection connection = newConnection(connectionPrefetch);
        connection.attach(FailoverBrokerConnection.connect(uri, connection.deliveryListener(),
                TernConnectionFactory::connect));
        return configure(connection, connectionClientId);
    }

    private TernConnection configure(TernConnection connection, String connectionClientId) throws JMSException {
        connection.setTransportListener(transportListener);
        if (connectionClientId != null) {
            try {
                connection.setClientIDFromFactory(connectionClientId);
            } catch (JMSException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }

    private static BrokerConnection connect(TransportUri uri, DeliveryListener listener) throws JMSException {
        if (uri.scheme().equals("vm")) {
            return VmTransport.connect(uri, listener);
        }
        if (uri.scheme().equals("tcp")) {
            return TcpBrokerConnection.connect(uri, listener);
        }
        throw new JMSException("broker URL '" + uri.text() + "': unsupported scheme '" + uri.scheme()
                + "'; this version supports vm://, tcp:// and failover:(...)");
    }

    @Override
    public String toString() {
        return "TernConnectionFactory[" + brokerURL + "]";
    }
}
